import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/broker-config.js';
import { BROKER_ENTITIES } from './entities.js';
import { BROKER_MIGRATIONS } from './migrations.js';

/**
 * TypeORM options for one domain's database: real migrations at start-up, never synchronize.
 * A relative SQLite path is relative to the working directory; its directory is created.
 */
export function databaseOptions(database: DatabaseConfig): DataSourceOptions {
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
      extra: { max: 10 },
    };
  }
  if (database.path !== ':memory:') {
    mkdirSync(dirname(database.path), { recursive: true });
  }
  return { ...common, type: 'sqlite', database: database.path, enableWAL: true, busyTimeout: 5000 };
}
