import { createServer } from 'node:net';
import type { DemoProcess } from './demo-process.js';

/** One address a demo process is about to bind, that something else already holds. */
export interface TakenPort {
  readonly process: string;
  readonly host: string;
  readonly port: number;
  readonly code: string;
}

/**
 * Tries to bind, then releases, every address the demo processes will listen on. A demo
 * already running holds them all, and its health URLs would answer for the new one, so the
 * launcher checks before it starts anything.
 */
export async function takenPorts(processes: readonly DemoProcess[]): Promise<TakenPort[]> {
  const taken: TakenPort[] = [];
  for (const definition of processes) {
    for (const { host, port } of definition.listens) {
      const code = await bindProbe(host, port);
      if (code !== undefined) {
        taken.push({ process: definition.name, host, port, code });
      }
    }
  }
  return taken;
}

/** What a second `npm start` prints when the ports are taken. */
export function describeTakenPorts(taken: readonly TakenPort[]): string {
  const list = taken
    .map(
      ({ process, host, port, code }) =>
        `${host}:${port} (${process}${code === 'EADDRINUSE' ? '' : `, ${code}`})`,
    )
    .join(', ');
  return (
    `demo: cannot start: ${list} already in use. Is another \`npm start\` running? ` +
    'Stop it (Ctrl-C in its terminal) or free the ports, then start again.'
  );
}

function bindProbe(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'EUNKNOWN'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
