import { IsIssuerUrl, ListenSchema, ValidateSection } from '@baton/config';
import { IsDefined, IsIn, IsOptional } from 'class-validator';
import { AuditorSchema } from './auditor.schema.js';
import { ClientSchema } from './client.schema.js';
import { DatabaseSchema } from './database.schema.js';
import { DpopSchema } from './dpop.schema.js';
import { ExternalIssuerSchema } from './external-issuer.schema.js';
import { HttpSchema } from './http.schema.js';
import { KeysSchema } from './keys.schema.js';
import { LoggingSchema } from '../../../../observability/src/logging.schema.js';
import { MetricsSchema } from '../../../../observability/src/metrics.schema.js';
import { PeerSchema } from './peer.schema.js';
import { PolicySchema } from './policy.schema.js';
import { RevocationSchema } from './revocation.schema.js';
import { RateLimitsSchema } from './rate-limits.schema.js';
import { RetentionSchema } from './retention.schema.js';
import { TokensSchema } from './tokens.schema.js';

/** The configuration file as written (YAML or JSON), before defaults and secrets are applied. */
export class BrokerConfigSchema {
  @IsIn(['production', 'demo'])
  @IsOptional()
  mode?: 'production' | 'demo';

  @IsIssuerUrl()
  @IsDefined({ message: '$property is required' })
  issuer!: string;

  @ValidateSection(() => ListenSchema, { required: true })
  listen!: ListenSchema;

  @ValidateSection(() => DatabaseSchema)
  database?: DatabaseSchema;

  @ValidateSection(() => KeysSchema)
  keys?: KeysSchema;

  @ValidateSection(() => TokensSchema)
  tokens?: TokensSchema;

  @ValidateSection(() => DpopSchema)
  dpop?: DpopSchema;

  @ValidateSection(() => PolicySchema)
  policy?: PolicySchema;

  @ValidateSection(() => HttpSchema)
  http?: HttpSchema;

  @ValidateSection(() => RateLimitsSchema)
  rateLimits?: RateLimitsSchema;

  @ValidateSection(() => RetentionSchema)
  retention?: RetentionSchema;

  @ValidateSection(() => ClientSchema, { list: true })
  clients?: ClientSchema[];

  @ValidateSection(() => PeerSchema, { list: true })
  peers?: PeerSchema[];

  @ValidateSection(() => ExternalIssuerSchema, { list: true })
  externalIssuers?: ExternalIssuerSchema[];

  @ValidateSection(() => RevocationSchema)
  revocation?: RevocationSchema;

  @ValidateSection(() => LoggingSchema)
  logging?: LoggingSchema;

  @ValidateSection(() => MetricsSchema)
  metrics?: MetricsSchema;

  @ValidateSection(() => AuditorSchema, { list: true })
  auditors?: AuditorSchema[];
}
