import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig, DatabaseTimeoutsConfig } from '../config/broker-config.js';
import { BROKER_ENTITIES } from './entities.js';
import { BROKER_MIGRATIONS } from './migrations.js';
import { postgresDriverWithDeadlines } from './postgres-driver.js';
import { sqliteDriver } from './sqlite-driver.js';

/**
 * TypeORM options for one domain's database: real migrations at start-up, never synchronize.
 * A relative SQLite path is relative to the working directory; its directory is created.
 * PostgreSQL gets the configured deadlines (connect, pool acquisition, statement); SQLite gets
 * WAL, `synchronous = FULL` and a process-exclusive lock (sqlite-driver.ts).
 */
export function databaseOptions(
  database: DatabaseConfig,
  timeouts: DatabaseTimeoutsConfig,
): DataSourceOptions {
  const common = {
    entities: BROKER_ENTITIES,
    migrations: BROKER_MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
  } as const;
  if (database.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: database.url,
      ...(database.schema ? { schema: database.schema } : {}),
      applicationName: 'baton-broker',
      driver: postgresDriverWithDeadlines({
        connectMs: timeouts.connectMs,
        statementMs: timeouts.statementMs,
      }),
      // pg-pool's connectionTimeoutMillis bounds the wait for a pooled connection.
      connectTimeoutMS: timeouts.acquireMs,
      extra: { max: timeouts.poolSize },
    };
  }
  if (database.path !== ':memory:') {
    mkdirSync(dirname(database.path), { recursive: true });
  }
  return {
    ...common,
    type: 'sqlite',
    database: database.path,
    driver: sqliteDriver(),
    enableWAL: true,
    busyTimeout: timeouts.statementMs,
  };
}
