import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../../test/support/index.js';
import type { DemoProcess } from './demo-process.js';
import { DEMO_DOMAINS, brokerProcess } from './demo-processes.js';
import { describeTakenPorts, takenPorts } from './port-check.js';

const root = process.cwd();

function holder(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function definition(name: string, port: number): DemoProcess {
  return {
    name,
    command: process.execPath,
    args: [],
    listens: [{ host: '127.0.0.1', port }],
    readyUrl: `http://127.0.0.1:${port}/`,
    announce: name,
  };
}

describe('a second demo while the first runs', () => {
  let held: Server;
  let heldPort: number;

  beforeAll(async () => {
    heldPort = await getFreePort();
    held = await holder(heldPort);
  });
  afterAll(() => new Promise<void>((resolve) => held.close(() => resolve())));

  it('finds the ports something already listens on, and only those', async () => {
    const free = await getFreePort();
    const taken = await takenPorts([definition('a', heldPort), definition('b', free)]);
    expect(taken).toEqual([
      { process: 'a', host: '127.0.0.1', port: heldPort, code: 'EADDRINUSE' },
    ]);
    expect(describeTakenPorts(taken)).toBe(
      `demo: cannot start: 127.0.0.1:${heldPort} (a) already in use. Is another \`npm start\` running? ` +
        'Stop it (Ctrl-C in its terminal) or free the ports, then start again.',
    );
    // The probe released what it bound: the free port is still free.
    const again = await holder(free);
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });

  it('checks every demo broker address from its config file', () => {
    expect(DEMO_DOMAINS.map((name) => brokerProcess(root, name).listens)).toEqual([
      [{ host: '127.0.0.1', port: 4001 }],
      [{ host: '127.0.0.1', port: 4002 }],
      [{ host: '127.0.0.1', port: 4003 }],
    ]);
  });

  // The built launcher (npm start runs `npm run build` first; CI's npm ci builds too).
  it.skipIf(!existsSync(join(root, 'dist/apps/demo/main.js')))(
    'exits 1 naming the taken port before starting or reporting anything',
    async () => {
      const demoPort = await holder(4001).catch(() => undefined);
      try {
        const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
          (resolve) => {
            const child = execFile(
              process.execPath,
              [join(root, 'dist/apps/demo/main.js')],
              { cwd: root, timeout: 20_000 },
              (error, out) => resolve({ code: error ? (error.code as number) : 0, stdout: out }),
            );
            child.stdin?.end();
          },
        );
        expect(code).toBe(1);
        expect(stdout).toMatch(/^demo: cannot start: 127\.0\.0\.1:4001 \(a\)/);
        expect(stdout).not.toContain('federation is running');
        expect(stdout).not.toMatch(/^\[a\]/m);
      } finally {
        demoPort?.close();
      }
    },
  );
});
