import { QueryFailedError, type EntityManager } from 'typeorm';
import { preparedStatementsOf } from './sqlite-driver.js';

/**
 * Statements run on SQLite through the connection's prepared statements (sqlite-driver.ts: no
 * prepare and finalize per call), elsewhere through TypeORM's query runner. Either way a failure
 * is counted (the data source's logger) and thrown as TypeORM's QueryFailedError.
 */
export function queryRows(
  manager: EntityManager,
  text: string,
  parameters: readonly unknown[],
): Promise<Record<string, unknown>[]> {
  const prepared = preparedStatementsOf(sqliteConnectionOf(manager));
  if (prepared === undefined) {
    return manager.query<Record<string, unknown>[]>(text, [...parameters]);
  }
  return failuresAsTypeOrm(manager, text, parameters, prepared.allPrepared(text, parameters));
}

export async function runStatement(
  manager: EntityManager,
  text: string,
  parameters: readonly unknown[],
): Promise<void> {
  const prepared = preparedStatementsOf(sqliteConnectionOf(manager));
  if (prepared === undefined) {
    await manager.query(text, [...parameters]);
    return;
  }
  await failuresAsTypeOrm(manager, text, parameters, prepared.runPrepared(text, parameters));
}

/** TypeORM's SQLite driver keeps its one connection here (the same one its query runners use). */
function sqliteConnectionOf(manager: EntityManager): unknown {
  return manager.connection.options.type === 'sqlite'
    ? (manager.connection.driver as unknown as { databaseConnection?: unknown }).databaseConnection
    : undefined;
}

async function failuresAsTypeOrm<T>(
  manager: EntityManager,
  text: string,
  parameters: readonly unknown[],
  running: Promise<T>,
): Promise<T> {
  try {
    return await running;
  } catch (error) {
    manager.connection.logger.logQueryError(error as Error, text, [...parameters]);
    throw new QueryFailedError(text, [...parameters], error as Error);
  }
}
