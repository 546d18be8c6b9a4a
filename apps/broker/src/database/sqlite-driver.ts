import { createRequire } from 'node:module';
import type sqlite3Types from 'sqlite3';

type Sqlite3 = typeof sqlite3Types;
type OpenCallback = (error: Error | null) => void;
type Statement = sqlite3Types.Statement;

/**
 * A connection that keeps prepared statements (see {@link PreparedStatements}). Only the
 * connections `sqliteDriver()` opens are.
 */
export interface PreparedStatements {
  /** Runs `sql` (a statement returning rows) with `parameters`, on a statement prepared once. */
  allPrepared(sql: string, parameters: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs `sql` (a write) with `parameters`, on a statement prepared once. */
  runPrepared(sql: string, parameters: readonly unknown[]): Promise<void>;
}

/** The prepared-statement methods of `connection`, when it is one `sqliteDriver()` opened. */
export function preparedStatementsOf(connection: unknown): PreparedStatements | undefined {
  return connection instanceof PreparingDatabase ? connection : undefined;
}

const sqlite3 = createRequire(import.meta.url)('sqlite3') as Sqlite3;

/**
 * node-sqlite3's `all` and `run` prepare a statement, run it and finalize it; the finalize runs
 * on the main thread and takes the connection's mutex, so it waits whenever a pool thread is
 * running another statement on the connection (a COMMIT's fsync, a batch's insert). Under the
 * bench's load broker A's main thread blocked there 351 times in 2,000 exchanges
 * (`perf record -e sched:sched_switch`). Statements prepared once and kept are never finalized
 * while the connection is open; SQLite refuses to close a connection with statements open, so
 * `close` finalizes them first.
 */
class PreparingDatabase extends sqlite3.Database implements PreparedStatements {
  private readonly prepared = new Map<string, Promise<Statement>>();

  allPrepared(sql: string, parameters: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return this.statement(sql).then(
      (statement) =>
        new Promise((resolve, reject) => {
          statement.all([...parameters], (error: Error | null, rows: Record<string, unknown>[]) =>
            error ? reject(error) : resolve(rows),
          );
        }),
    );
  }

  runPrepared(sql: string, parameters: readonly unknown[]): Promise<void> {
    return this.statement(sql).then(
      (statement) =>
        new Promise((resolve, reject) => {
          statement.run([...parameters], (error: Error | null) =>
            error ? reject(error) : resolve(),
          );
        }),
    );
  }

  override close(callback?: (error: Error | null) => void): void {
    const statements = [...this.prepared.values()];
    this.prepared.clear();
    const finalized = statements.map((pending) =>
      pending.then(
        (statement) => new Promise<void>((resolve) => statement.finalize(() => resolve())),
        () => undefined,
      ),
    );
    void Promise.all(finalized).then(() => super.close(callback));
  }

  private statement(sql: string): Promise<Statement> {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = new Promise<Statement>((resolve, reject) => {
        const prepared: Statement = this.prepare(sql, (error: Error | null) =>
          error ? reject(error) : resolve(prepared),
        );
      });
      // A statement that cannot be prepared is not kept: the next call reports its own error.
      statement.catch(() => this.prepared.delete(sql));
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}

/**
 * node-sqlite3 as given to TypeORM's SQLite driver (its `driver` option), with these changes:
 *
 * - `verbose()` returns the module unchanged. TypeORM calls it, and it wraps every statement in
 *   a stack-capturing trace that formats its parameters: about a fifth of the broker's busy time.
 * - Every connection sets `synchronous = FULL`: in WAL mode each COMMIT is fsynced before it
 *   returns, so a record survives a power loss and not only a crash of the process (NORMAL may
 *   lose the last commits on power loss, which would break "no token without its record").
 * - Every connection sets `temp_store = MEMORY`. A multi-row INSERT inside a transaction keeps a
 *   statement journal (to undo that statement alone on a constraint failure); on disk, its
 *   writes were a seventh of the thread pool's time under issuance load. It holds pages of the
 *   open transaction only, which its rollback needs, not a crash: durability is unchanged.
 * - Every connection can keep prepared statements (`PreparedStatements`, used for the issuance
 *   path's statements), finalized before it closes.
 */
export function sqliteDriver(): Sqlite3 {
  class DurableDatabase extends PreparingDatabase {
    // The pragmas run in the open callback, so the connection is handed out only once it holds
    // (a statement queued before open could otherwise run after the caller's BEGIN, where SQLite
    // refuses to change the safety level), and a failure reaches the caller, not the event loop.
    constructor(filename: string, ...rest: unknown[]) {
      const opened = rest.find((arg): arg is OpenCallback => typeof arg === 'function');
      const mode = rest.find((arg): arg is number => typeof arg === 'number');
      const onOpen: OpenCallback = (error) => {
        if (error) {
          opened?.(error);
          return;
        }
        this.exec('PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY', (pragmaError) =>
          opened?.(pragmaError),
        );
      };
      if (mode === undefined) {
        super(filename, onOpen);
      } else {
        super(filename, mode, onOpen);
      }
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
