import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { runStatement } from './prepared-query.js';

const ROLLBACK_ATTEMPTS = 20;
const ROLLBACK_RETRY_MS = 25;

/** The parts of TypeORM's SQLite driver this module drives: its one connection and its factory. */
interface SqliteDriverInternals {
  databaseConnection: { close(callback: (error: Error | null) => void): void };
  createDatabaseConnection(): Promise<SqliteDriverInternals['databaseConnection']>;
}

/**
 * One SQLite transaction on the driver's single connection, with transaction control done here
 * rather than by TypeORM's `transaction()`. TypeORM keeps its own depth counter, and SQLite may
 * end a transaction by itself (SQLITE_FULL or SQLITE_IOERR at COMMIT roll it back) or keep it
 * open after a failed COMMIT (a deferred constraint): its counter then disagrees with SQLite,
 * and later "transactions" become savepoints inside one that is never committed.
 *
 * Here: BEGIN IMMEDIATE (take the write lock up front, so no deadlock on upgrade), the work,
 * COMMIT (both on the connection's prepared statements, prepared-query.ts); on any failure ROLLBACK until SQLite confirms no transaction is open, and replace the
 * connection when it will not. Callers serialise calls (one connection, one transaction).
 */
export async function sqliteTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runStatement(runner.manager, 'BEGIN IMMEDIATE', []);
  } catch (error) {
    // A transaction left open on the shared connection would swallow this one's commit.
    if (!/within a transaction/.test(errorMessage(error))) {
      throw error;
    }
    await endTransaction(dataSource, runner);
    await runStatement(runner.manager, 'BEGIN IMMEDIATE', []);
  }
  // So that anything in `work` that opens a TypeORM transaction (save()) nests as a savepoint.
  setTransactionState(runner, true);
  try {
    const result = await work(runner.manager);
    await runStatement(runner.manager, 'COMMIT', []);
    return result;
  } catch (error) {
    await endTransaction(dataSource, runner);
    throw error;
  } finally {
    setTransactionState(runner, false);
  }
}

/** Leave no transaction open on the connection, whatever state the failure left it in. */
export async function endTransaction(dataSource: DataSource, runner: QueryRunner): Promise<void> {
  for (let attempt = 0; attempt < ROLLBACK_ATTEMPTS; attempt++) {
    try {
      await runner.query('ROLLBACK');
      return;
    } catch (error) {
      if (/no transaction is active/.test(errorMessage(error))) {
        return;
      }
      // "SQL statements in progress": a concurrent read on the shared connection; it will end.
      await sleep(ROLLBACK_RETRY_MS);
    }
  }
  await replaceConnection(dataSource);
}

/**
 * Close the driver's connection (SQLite rolls back what it left open, and releases the file lock)
 * and open a new one in its place.
 */
async function replaceConnection(dataSource: DataSource): Promise<void> {
  const driver = dataSource.driver as unknown as SqliteDriverInternals;
  await new Promise<void>((resolve, reject) =>
    driver.databaseConnection.close((error) => (error ? reject(error) : resolve())),
  );
  driver.databaseConnection = await driver.createDatabaseConnection();
}

function setTransactionState(runner: QueryRunner, active: boolean): void {
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = active;
  state.transactionDepth = active ? 1 : 0;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
