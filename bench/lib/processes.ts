import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../apps/demo/server-node-flags.js';
import type { ProbeSample, RetainedMemory } from './probe.js';

const PROBE = fileURLToPath(new URL('./probe.js', import.meta.url));

/** A server the bench started, with the probe preloaded. */
export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  sample(): Promise<ProbeSample>;
  /** Forces a full garbage collection in the server (a pause): only outside measured windows. */
  retained(): Promise<RetainedMemory>;
  resetLag(): Promise<void>;
  profile<T>(during: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }>;
  stop(): Promise<void>;
}

export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}

/**
 * Starts `node <server flags> --import probe <script> ...args`, logs to `<logDir>/<name>.log`,
 * waits for `readyUrl`. The peer gets the flags Baton's servers run with, so both run alike.
 */
export async function startServer(options: {
  name: string;
  script: string;
  args: readonly string[];
  url: string;
  readyPath: string;
  logDir: string;
  env?: Record<string, string>;
}): Promise<Server> {
  const log = createWriteStream(join(options.logDir, `${options.name}.log`));
  const args = [...SERVER_NODE_FLAGS, '--import', PROBE, options.script, ...options.args];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const ask = <T>(message: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`${options.name} exited`));
      child.once('exit', onExit);
      child.once('message', (reply: { reply: T }) => {
        child.off('exit', onExit);
        resolve(reply.reply);
      });
      child.send(message);
    });
  try {
    await waitUntilReady(`${options.url}${options.readyPath}`, child, options.name);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    name: options.name,
    url: options.url,
    child,
    sample: () => ask<ProbeSample>('sample'),
    retained: () => ask<RetainedMemory>('retained'),
    resetLag: async () => {
      await ask('reset-lag');
    },
    profile: async <T>(during: () => Promise<T>) => {
      await ask('profile-start');
      const result = await during();
      return { result, profile: await ask<CpuProfile>('profile-stop') };
    },
    stop: async () => {
      if (child.exitCode !== null) {
        return;
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('exit');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode} before it was ready`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} not ready within 60 s`);
}
