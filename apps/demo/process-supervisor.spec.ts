import { describe, expect, it } from 'vitest';
import { getFreePort } from '../../test/support/index.js';
import { ProcessSupervisor } from './process-supervisor.js';

describe('ProcessSupervisor', () => {
  it('starts a real child, waits until it answers, and stops it', async () => {
    const port = await getFreePort();
    const lines: string[] = [];
    const exits: string[] = [];
    const supervisor = new ProcessSupervisor(
      process.cwd(),
      (line) => lines.push(line),
      (name) => exits.push(name),
    );
    const definition = {
      name: 'tiny',
      command: process.execPath,
      args: [
        '-e',
        `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('up'))`,
      ],
      listens: [{ host: '127.0.0.1', port }],
      readyUrl: `http://127.0.0.1:${port}/`,
      announce: 'tiny',
    };
    supervisor.start(definition);
    await supervisor.waitReady(definition, 10_000);
    expect(lines).toContain('[tiny] up');
    await supervisor.stopAll();
    await expect(fetch(definition.readyUrl)).rejects.toThrow();
    expect(exits).toEqual([]);
  });

  it('reports a child that dies before it is ready', async () => {
    const exits: string[] = [];
    const supervisor = new ProcessSupervisor(
      process.cwd(),
      () => undefined,
      (name) => exits.push(name),
    );
    const definition = {
      name: 'dies',
      command: process.execPath,
      args: ['-e', 'process.exit(3)'],
      listens: [],
      readyUrl: 'http://127.0.0.1:9/',
      announce: '',
    };
    supervisor.start(definition);
    await expect(supervisor.waitReady(definition, 10_000)).rejects.toThrow(
      /dies exited before it was ready/,
    );
    expect(exits).toEqual(['dies']);
  });
});
