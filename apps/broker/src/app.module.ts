import { Module, type DynamicModule } from '@nestjs/common';
import { BROKER_CONFIG, type BrokerConfig } from './config/broker-config.js';
import { CLOCK, systemClock, type Clock } from './clock/clock.js';
import { DatabaseModule } from './database/database.module.js';
import { BROKER_FEATURE_MODULES } from './feature-modules.js';

export interface AppModuleOptions {
  /** The time source; tests pass a manual clock. Default: the system clock. */
  readonly clock?: Clock;
}

/** The broker of one trust domain, configured by a validated {@link BrokerConfig}. */
@Module({})
export class AppModule {
  static forRoot(config: BrokerConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule.forRoot(config.database, config.databaseTimeouts),
        ...BROKER_FEATURE_MODULES,
      ],
      providers: [
        { provide: BROKER_CONFIG, useValue: config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
      ],
      exports: [BROKER_CONFIG, CLOCK],
    };
  }
}
