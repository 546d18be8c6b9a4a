import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { preparedStatementsOf, sqliteDriver } from './sqlite-driver.js';

type Database = InstanceType<ReturnType<typeof sqliteDriver>['Database']>;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function open(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-sqlite-driver-'));
  dirs.push(dir);
  const { Database } = sqliteDriver();
  const db = await new Promise<Database>((resolve, reject) => {
    const opened: Database = new Database(join(dir, 'db.sqlite'), (error: Error | null) =>
      error ? reject(error) : resolve(opened),
    );
  });
  await new Promise<void>((resolve, reject) =>
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)', (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  return db;
}

const close = (db: Database) =>
  new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));

describe('sqliteDriver: connection settings', () => {
  it('opens every connection with synchronous = FULL and the statement journal in memory', async () => {
    const db = await open();
    const pragma = (name: string) =>
      new Promise<unknown>((resolve, reject) =>
        db.get(`PRAGMA ${name}`, (error: Error | null, row: Record<string, unknown>) =>
          error ? reject(error) : resolve(row[name]),
        ),
      );
    // synchronous: 2 is FULL; temp_store: 2 is MEMORY.
    expect(await pragma('synchronous')).toBe(2);
    expect(await pragma('temp_store')).toBe(2);
    await close(db);
  });
});

describe('sqliteDriver: prepared statements kept per connection', () => {
  it('runs the same statement many times, concurrently too, and still closes', async () => {
    const db = await open();
    const prepared = preparedStatementsOf(db)!;
    expect(prepared).toBeDefined();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        prepared.runPrepared('INSERT INTO t (k, v) VALUES (?, ?)', [`k${i}`, i]),
      ),
    );
    const rows = await Promise.all(
      [3, 17, 49].map((i) => prepared.allPrepared('SELECT k, v FROM t WHERE k IN (?)', [`k${i}`])),
    );
    expect(rows).toEqual([[{ k: 'k3', v: 3 }], [{ k: 'k17', v: 17 }], [{ k: 'k49', v: 49 }]]);
    // SQLite refuses to close a connection with statements open (SQLITE_BUSY): close finalizes them.
    await expect(close(db)).resolves.toBeUndefined();
  });

  it('reports a statement that cannot be prepared, every time, without keeping it', async () => {
    const db = await open();
    const prepared = preparedStatementsOf(db)!;
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(prepared.allPrepared('SELECT nope FROM t', [])).rejects.toThrow(
        /no such column/,
      );
    }
    await expect(close(db)).resolves.toBeUndefined();
  });

  it('reports a constraint failure with SQLite’s code, and the statement stays usable', async () => {
    const db = await open();
    const prepared = preparedStatementsOf(db)!;
    const insert = 'INSERT INTO t (k, v) VALUES (?, ?)';
    await prepared.runPrepared(insert, ['a', 1]);
    await expect(prepared.runPrepared(insert, ['a', 2])).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT',
    });
    await prepared.runPrepared(insert, ['b', 2]);
    expect(await prepared.allPrepared('SELECT COUNT(*) AS n FROM t', [])).toEqual([{ n: 2 }]);
    await close(db);
  });

  it('is only offered by the connections it opens', () => {
    expect(preparedStatementsOf({})).toBeUndefined();
    expect(preparedStatementsOf(undefined)).toBeUndefined();
  });
});
