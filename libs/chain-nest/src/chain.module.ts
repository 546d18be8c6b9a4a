import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import {
  CHAIN_MODULE_OPTIONS,
  type ChainModuleAsyncOptions,
  type ChainModuleOptions,
} from './chain-module-options.js';
import { DelegationGuard } from './delegation.guard.js';
import { RESOLVED_CHAIN_OPTIONS, resolveChainOptions } from './resolved-chain-options.js';

const resolvedProvider: Provider = {
  provide: RESOLVED_CHAIN_OPTIONS,
  useFactory: resolveChainOptions,
  inject: [CHAIN_MODULE_OPTIONS],
};

/**
 * Provides {@link DelegationGuard} and its verification options to the whole application
 * (global module). Import it once in the root module.
 *
 * @example
 * ChainModule.forRoot({ trust, audience: 'https://c.example', publicBaseUrl: 'https://api.c.example' })
 */
@Module({})
export class ChainModule {
  static forRoot(options: ChainModuleOptions): DynamicModule {
    return {
      module: ChainModule,
      global: true,
      providers: [
        { provide: CHAIN_MODULE_OPTIONS, useValue: options },
        resolvedProvider,
        DelegationGuard,
      ],
      exports: [RESOLVED_CHAIN_OPTIONS, DelegationGuard],
    };
  }

  static forRootAsync(options: ChainModuleAsyncOptions): DynamicModule {
    return {
      module: ChainModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: CHAIN_MODULE_OPTIONS,
          useFactory: options.useFactory,
          inject: options.inject ?? [],
        },
        resolvedProvider,
        DelegationGuard,
      ],
      exports: [RESOLVED_CHAIN_OPTIONS, DelegationGuard],
    };
  }
}
