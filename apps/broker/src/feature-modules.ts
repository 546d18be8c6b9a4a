import type { DynamicModule, Type } from '@nestjs/common';
import { ApiDocsModule } from './api-docs/api-docs.module.js';
import { AuditLogModule } from './audit/audit-log.module.js';
import { AuditModule } from './audit/audit.module.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { HealthModule } from './health/health.module.js';
import { RevocationModule } from './revocation/revocation.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { TokenModule } from './token/token.module.js';

/**
 * The broker's feature modules, imported by AppModule.forRoot. Add a feature (token endpoint,
 * audit, revocation) by appending its module here. BROKER_CONFIG, CLOCK and DatabaseTransactions
 * are global; import KeysModule for KeysService.
 */
export const BROKER_FEATURE_MODULES: (Type<unknown> | DynamicModule)[] = [
  AuditLogModule,
  DiscoveryModule,
  HealthModule,
  TokenModule,
  RevocationModule,
  AuditModule,
  RetentionModule,
  ApiDocsModule,
];
