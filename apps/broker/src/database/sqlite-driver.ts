import { createRequire } from 'node:module';
import type sqlite3Types from 'sqlite3';

type Sqlite3 = typeof sqlite3Types;

const sqlite3 = createRequire(import.meta.url)('sqlite3') as Sqlite3;

/**
 * node-sqlite3 as given to TypeORM's SQLite driver (its `driver` option), with two changes:
 *
 * - `verbose()` returns the module unchanged. TypeORM calls it, and it wraps every statement in
 *   a stack-capturing trace that formats its parameters: about a fifth of the broker's busy time.
 * - Every connection sets `synchronous = FULL`: in WAL mode each COMMIT is fsynced before it
 *   returns, so a record survives a power loss and not only a crash of the process (NORMAL may
 *   lose the last commits on power loss, which would break "no token without its record").
 */
export function sqliteDriver(): Sqlite3 {
  class DurableDatabase extends sqlite3.Database {
    constructor(filename: string, ...rest: unknown[]) {
      super(filename, ...(rest as []));
      this.run('PRAGMA synchronous = FULL');
    }
  }
  const driver: Sqlite3 = Object.assign(Object.create(sqlite3) as Sqlite3, {
    Database: DurableDatabase,
    verbose: () => driver,
  });
  return driver;
}

/** node-sqlite3 itself, untraced (for the process lock). */
export function plainSqlite3(): Sqlite3 {
  return sqlite3;
}
