/**
 * Preloaded into every server the bench starts (`node --import`): answers the bench over IPC
 * with the process's CPU time, RSS and event-loop delay, its memory after a full collection, and
 * takes V8 CPU profiles on demand
 * (the profiler behind `node --cpu-prof`, started and stopped around one phase).
 */
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Memory right after a full collection: what the process keeps, without V8's slack. */
export interface RetainedMemory {
  heapUsed: number;
  rss: number;
}

export interface ProbeSample {
  cpuMicros: number;
  rss: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let session: Session | undefined;

async function answer(message: unknown): Promise<unknown> {
  switch (message) {
    case 'sample': {
      const cpu = process.cpuUsage();
      const sample: ProbeSample = {
        cpuMicros: cpu.user + cpu.system,
        rss: process.memoryUsage.rss(),
        lagP99Ms: lag.percentile(99) / 1e6,
        lagMaxMs: lag.max / 1e6,
      };
      return sample;
    }
    case 'retained': {
      const collector = new Session();
      collector.connect();
      await collector.post('HeapProfiler.collectGarbage');
      collector.disconnect();
      const retained: RetainedMemory = {
        heapUsed: process.memoryUsage().heapUsed,
        rss: process.memoryUsage.rss(),
      };
      return retained;
    }
    case 'reset-lag':
      lag.reset();
      return true;
    case 'profile-start':
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      return true;
    case 'profile-stop': {
      const result = await session?.post('Profiler.stop');
      session?.disconnect();
      session = undefined;
      return result?.profile;
    }
    case 'exit':
      setImmediate(() => process.exit(0));
      return true;
    default:
      return undefined;
  }
}

// The bench went away (crashed or killed): do not outlive it.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: unknown) => {
  void answer(message).then((reply) => process.send?.({ reply }));
});
