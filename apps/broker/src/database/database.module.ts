import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DatabaseConfig } from '../config/broker-config.js';
import { databaseOptions } from './database-options.js';
import { DatabaseTransactions } from './database-transactions.js';
import { BrokerMetrics } from '../observability/broker-metrics.js';
import { QueryErrorCounter } from '../observability/query-error-counter.js';

/** The domain's database: TypeORM with migrations run at start-up, plus {@link DatabaseTransactions}. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(database: DatabaseConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: (metrics: BrokerMetrics) => ({
            ...databaseOptions(database),
            logger: new QueryErrorCounter(metrics),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          inject: [BrokerMetrics],
        }),
      ],
      providers: [DatabaseTransactions],
      exports: [DatabaseTransactions],
    };
  }
}
