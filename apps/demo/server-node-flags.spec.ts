import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoProcesses } from './demo-processes.js';
import { SERVER_NODE_FLAGS } from './server-node-flags.js';

const root = process.cwd();

describe('the Node flags Baton servers run with', () => {
  it('are flags this Node accepts', () => {
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', ''], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('start every process of the demo', () => {
    for (const child of demoProcesses(root)) {
      expect(child.args.slice(0, SERVER_NODE_FLAGS.length), child.name).toEqual(SERVER_NODE_FLAGS);
    }
  });

  it('are the ones npm run start:broker and the Dockerfile pass', () => {
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['start:broker']).toContain(
      `node ${SERVER_NODE_FLAGS.join(' ')} dist/apps/broker/src/main.js`,
    );
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (.+)$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual([
      'node',
      ...SERVER_NODE_FLAGS,
      'dist/apps/broker/src/main.js',
    ]);
  });
});
