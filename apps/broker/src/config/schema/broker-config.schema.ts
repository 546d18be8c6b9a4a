import { Type } from 'class-transformer';
import { IsArray, IsDefined, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { ClientSchema } from './client.schema.js';
import { DatabaseSchema } from './database.schema.js';
import { DpopSchema } from './dpop.schema.js';
import { ExternalIssuerSchema } from './external-issuer.schema.js';
import { KeysSchema } from './keys.schema.js';
import { ListenSchema } from '@baton/config';
import { PeerSchema } from './peer.schema.js';
import { PolicySchema } from './policy.schema.js';
import { TokensSchema } from './tokens.schema.js';
import { IsIssuerUrl } from '@baton/config';

/** The configuration file as written (YAML or JSON), before defaults and secrets are applied. */
export class BrokerConfigSchema {
  @IsIn(['production', 'demo'])
  @IsOptional()
  mode?: 'production' | 'demo';

  @IsIssuerUrl()
  @IsDefined({ message: '$property is required' })
  issuer!: string;

  @Type(() => ListenSchema)
  @ValidateNested()
  @IsDefined({ message: '$property is required' })
  listen!: ListenSchema;

  @Type(() => DatabaseSchema)
  @ValidateNested()
  @IsOptional()
  database?: DatabaseSchema;

  @Type(() => KeysSchema)
  @ValidateNested()
  @IsOptional()
  keys?: KeysSchema;

  @Type(() => TokensSchema)
  @ValidateNested()
  @IsOptional()
  tokens?: TokensSchema;

  @Type(() => DpopSchema)
  @ValidateNested()
  @IsOptional()
  dpop?: DpopSchema;

  @Type(() => PolicySchema)
  @ValidateNested()
  @IsOptional()
  policy?: PolicySchema;

  @Type(() => ClientSchema)
  @ValidateNested({ each: true })
  @IsArray()
  @IsOptional()
  clients?: ClientSchema[];

  @Type(() => PeerSchema)
  @ValidateNested({ each: true })
  @IsArray()
  @IsOptional()
  peers?: PeerSchema[];

  @Type(() => ExternalIssuerSchema)
  @ValidateNested({ each: true })
  @IsArray()
  @IsOptional()
  externalIssuers?: ExternalIssuerSchema[];
}
