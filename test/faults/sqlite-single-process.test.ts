import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrokerApp } from '../../apps/broker/src/bootstrap.js';
import { startBrokerDomain, type BrokerDomain } from '../support/index.js';
import { committedRows } from './fault-helpers.js';

const SQLITE3 = createRequire(import.meta.url).resolve('sqlite3');

/**
 * Another OS process holding the broker's lock the way a running broker does (an exclusive
 * SQLite lock on `<database>.lock`), until killed.
 */
async function holdLockInChild(databasePath: string): Promise<ChildProcess> {
  const script = `
    const sqlite3 = require(${JSON.stringify(SQLITE3)});
    const db = new sqlite3.Database(${JSON.stringify(`${databasePath}.lock`)});
    db.serialize(() => {
      db.run('PRAGMA locking_mode = EXCLUSIVE');
      db.run('BEGIN EXCLUSIVE');
      db.run('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, host TEXT, since TEXT)');
      db.run('COMMIT', () => process.stdout.write('locked\\n'));
    });
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  return child;
}

// Issue 8 §7: one process per SQLite database, enforced.
describe('fault: a second broker on the same SQLite file', () => {
  let a: BrokerDomain;
  beforeAll(async () => {
    a = await startBrokerDomain();
  });
  afterAll(() => a?.close());

  it('is refused, naming the file, and the first keeps serving; the file stays readable', async () => {
    await expect(createBrokerApp(a.config, { logger: false })).rejects.toThrow(
      /in use by another broker process.*one process per SQLite file/s,
    );
    expect((await fetch(`${a.url}/health/ready`)).status).toBe(200);
    expect((await committedRows(a, 'SELECT count(*) AS n FROM signing_key'))[0].n).toBe(1);
  });

  it('is refused while another OS process holds the file, and starts once that process is gone', async () => {
    await a.app.close();
    const child = await holdLockInChild(
      a.database.config.type === 'sqlite' ? a.database.config.path : '',
    );
    try {
      await expect(createBrokerApp(a.config, { logger: false })).rejects.toThrow(
        /in use by another broker process/,
      );
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    // The OS released the lock with the killed process: nothing to clean up.
    const restarted = await createBrokerApp(a.config, { logger: false });
    await restarted.close();
  });
});
