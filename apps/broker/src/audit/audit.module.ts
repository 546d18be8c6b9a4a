import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { SigningKeyEntity } from '../keys/signing-key.entity.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { buildTrustStore } from '../trust/trusted-issuers.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuditEventsService } from './audit-events.service.js';
import { AuditTraceService } from './audit-trace.service.js';
import { AUDIT_TRUST } from './audit-trust.js';
import { AuditController } from './audit.controller.js';
import { AuditorCredentialGuard } from './auditor-credential.guard.js';
import { KeyArchive } from './key-archive.service.js';
import { AuditorPageController } from './page/auditor-page.controller.js';
import { AuditorPageGuard } from './page/auditor-page.guard.js';

/**
 * The auditor API. Traces verify chains against this domain's trust set, with this domain's own
 * keys taken from the key archive, so tokens signed with retired keys still verify.
 */
@Module({
  imports: [
    OAuthModule,
    TypeOrmModule.forFeature([AuditEventEntity, IssuedTokenEntity, SigningKeyEntity]),
  ],
  controllers: [AuditController, AuditorPageController],
  providers: [
    KeyArchive,
    {
      provide: AUDIT_TRUST,
      useFactory: (config: BrokerConfig, archive: KeyArchive) =>
        buildTrustStore(config, { getPublishedJwks: () => archive.jwks() }),
      inject: [BROKER_CONFIG, KeyArchive],
    },
    AuditorCredentialGuard,
    AuditorPageGuard,
    AuditTraceService,
    AuditEventsService,
  ],
})
export class AuditModule {}
