import { IsBaseUrl, ListenSchema, ValidateSection } from '@baton/config';
import { IsDefined, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { DpopSchema } from './dpop.schema.js';
import { PolicySchema } from './policy.schema.js';
import { ReplayStoreSchema } from './replay-store.schema.js';
import { LoggingSchema } from '../../../../observability/src/logging.schema.js';
import { MetricsSchema } from '../../../../observability/src/metrics.schema.js';

/** The resource server's configuration file as written (YAML or JSON), before defaults. */
export class ResourceServerConfigSchema {
  // A list that is empty is refused across fields: a decorator cannot apply to lists only.
  @IsBaseUrl({ each: true })
  @IsDefined({ message: '$property is required' })
  audience!: string | string[];

  @IsBaseUrl()
  @IsDefined({ message: '$property is required' })
  publicBaseUrl!: string;

  @ValidateSection(() => ListenSchema, { required: true })
  listen!: ListenSchema;

  @IsNotEmpty()
  @IsString()
  @IsOptional()
  realm?: string;

  // The library's trust configuration, checked by trustConfigProblems (one shape everywhere).
  @IsDefined({ message: '$property is required' })
  trust!: unknown;

  @ValidateSection(() => DpopSchema)
  dpop?: DpopSchema;

  @ValidateSection(() => PolicySchema)
  policy?: PolicySchema;

  @ValidateSection(() => ReplayStoreSchema)
  replayStore?: ReplayStoreSchema;

  @ValidateSection(() => LoggingSchema)
  logging?: LoggingSchema;

  @ValidateSection(() => MetricsSchema)
  metrics?: MetricsSchema;
}
