import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig, DatabaseTimeoutsConfig } from '../config/broker-config.js';
import { databaseOptions } from './database-options.js';
import { DatabaseTransactions } from './database-transactions.js';
import { SqliteInUseError, SqliteProcessLock } from './sqlite-process-lock.js';
import { StorageHealth } from './storage-health.js';

/**
 * The domain's database: TypeORM with migrations run at start-up, plus
 * {@link DatabaseTransactions} and {@link StorageHealth}.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(database: DatabaseConfig, timeouts: DatabaseTimeoutsConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...databaseOptions(database, timeouts),
            retryAttempts: 3,
            retryDelay: 1000,
            // Another broker holding the SQLite file does not let go within seconds.
            toRetry: (error: unknown) => !(error instanceof SqliteInUseError),
          }),
          dataSourceFactory: (options) => openDataSource(database, options!),
        }),
      ],
      providers: [DatabaseTransactions, StorageHealth],
      exports: [DatabaseTransactions, StorageHealth],
    };
  }
}

/** Initialise the DataSource; a SQLite one first takes the process lock and frees it on destroy. */
async function openDataSource(
  database: DatabaseConfig,
  options: DataSourceOptions,
): Promise<DataSource> {
  const lock =
    database.type === 'sqlite' && database.path !== ':memory:'
      ? await SqliteProcessLock.acquire(database.path)
      : undefined;
  try {
    const dataSource = await new DataSource(options).initialize();
    if (lock !== undefined) {
      const destroy = dataSource.destroy.bind(dataSource);
      dataSource.destroy = () => destroy().finally(() => lock.release());
    }
    return dataSource;
  } catch (error) {
    await lock?.release();
    throw error;
  }
}
