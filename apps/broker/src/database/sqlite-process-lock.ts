import { hostname } from 'node:os';
import type { Database } from 'sqlite3';
import { plainSqlite3 } from './sqlite-driver.js';

/** Another broker process holds the SQLite database. */
export class SqliteInUseError extends Error {
  override readonly name = 'SqliteInUseError';
}

/**
 * One broker process per SQLite database, enforced: the broker holds an exclusive SQLite lock on
 * `<database>.lock` for as long as it runs. The lock is an OS file lock, so it is released when
 * the process exits or dies (kill -9 included) and never needs cleaning up; a second broker on
 * the same file — in another process or the same one — fails at once. The database file itself
 * stays readable by other tools.
 */
export class SqliteProcessLock {
  private constructor(private readonly db: Database) {}

  /** @throws Error naming the database when another broker holds it. */
  static async acquire(databasePath: string): Promise<SqliteProcessLock> {
    const sqlite3 = plainSqlite3();
    const db = await new Promise<Database>((resolve, reject) => {
      const opened: Database = new sqlite3.Database(`${databasePath}.lock`, (error) =>
        error ? reject(error) : resolve(opened),
      );
    });
    const run = (sql: string, params: unknown[] = []) =>
      new Promise<void>((resolve, reject) =>
        db.run(sql, params, (error: Error | null) => (error ? reject(error) : resolve())),
      );
    try {
      await run('PRAGMA locking_mode = EXCLUSIVE');
      await run('BEGIN EXCLUSIVE');
      await run('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, host TEXT, since TEXT)');
      await run('DELETE FROM holder');
      await run('INSERT INTO holder VALUES (?, ?, ?)', [
        process.pid,
        hostname(),
        new Date().toISOString(),
      ]);
      await run('COMMIT');
    } catch (error) {
      db.close(() => undefined);
      throw new SqliteInUseError(
        `the SQLite database ${databasePath} is in use by another broker process ` +
          `(${error instanceof Error ? error.message : String(error)}); run one process per ` +
          'SQLite file, or use PostgreSQL for replicas',
        { cause: error },
      );
    }
    return new SqliteProcessLock(db);
  }

  release(): Promise<void> {
    return new Promise((resolve) => this.db.close(() => resolve()));
  }
}
