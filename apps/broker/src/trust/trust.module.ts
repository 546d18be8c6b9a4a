import { Module } from '@nestjs/common';
import { TrustStore } from '@baton/chain';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { KeysModule } from '../keys/keys.module.js';
import { KeysService } from '../keys/keys.service.js';
import { ChainTrust } from './chain-trust.service.js';
import { buildTrustStore } from './trusted-issuers.js';

/** Trusted issuers (this domain, peers, external IdPs), their keys and their policy. */
@Module({
  imports: [KeysModule],
  providers: [
    {
      provide: TrustStore,
      useFactory: (config: BrokerConfig, keys: KeysService) => buildTrustStore(config, keys),
      inject: [BROKER_CONFIG, KeysService],
    },
    ChainTrust,
  ],
  exports: [TrustStore, ChainTrust],
})
export class TrustModule {}
