import { fileURLToPath } from 'node:url';
import { ConfigError } from '@baton/config';
import { AFTER_READY_STEPS } from './after-ready.js';
import type { DemoContext } from './demo-process.js';
import { brokerProcess, DEMO_DOMAINS, demoProcesses } from './demo-processes.js';
import { describeTakenPorts, takenPorts } from './port-check.js';
import { ProcessSupervisor } from './process-supervisor.js';

// dist/apps/demo/main.js → the repository root, where config/ and dist/ live.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  const processes = demoProcesses(root);
  const taken = await takenPorts(processes);
  if (taken.length > 0) {
    log(describeTakenPorts(taken));
    return 1;
  }
  let shuttingDown = false;
  const supervisor = new ProcessSupervisor(root, log, (name, code) => {
    log(`demo: ${name} exited unexpectedly (code ${code}); stopping the federation`);
    void shutdown(1);
  });
  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    log('demo: stopping…');
    await supervisor.stopAll();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  processes.forEach((definition) => supervisor.start(definition));
  try {
    await Promise.all(processes.map((definition) => supervisor.waitReady(definition)));
  } catch (error) {
    log(`demo: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
    return 1;
  }
  log('');
  log('Baton demo federation is running:');
  processes.forEach((definition) => log(`  ${definition.announce}`));
  log('');
  const context: DemoContext = {
    root,
    processes,
    issuers: Object.fromEntries(
      DEMO_DOMAINS.map((name) => [name, brokerProcess(root, name).issuer]),
    ),
    log,
  };
  for (const step of AFTER_READY_STEPS) {
    try {
      await step.run(context);
    } catch (error) {
      log(
        `demo: step "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  log('Press Ctrl-C to stop.');
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) {
      process.exitCode = code;
    }
  },
  (error: unknown) => {
    log(
      error instanceof ConfigError
        ? error.message
        : `demo: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(2);
  },
);
