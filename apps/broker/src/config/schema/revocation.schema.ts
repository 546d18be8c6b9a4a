import {
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { IsIssuerUrl } from '@baton/config';

/** `revocation:` — status lists, the administrator credential, who may introspect. */
export class RevocationSchema {
  /** `ttl` of this domain's status list tokens: how stale a verifier's view may be. */
  @Max(86400)
  @Min(1)
  @IsInt()
  @IsOptional()
  statusListTtlSeconds?: number;

  /** Administrator secret in the file (refused in production mode). */
  @MinLength(32)
  @IsString()
  @IsOptional()
  adminSecret?: string;

  /** Name of the environment variable holding the administrator secret. */
  @MinLength(1)
  @IsString()
  @IsOptional()
  adminSecretEnv?: string;

  /** A precomputed `scrypt:<salt>:<hash>` of the administrator secret. */
  @Matches(/^scrypt:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/, {
    message: '$property must be scrypt:<salt>:<hash>',
  })
  @IsString()
  @IsOptional()
  adminSecretHash?: string;

  /** Client ids (of `clients:`) that resource servers authenticate as at the introspection endpoint. */
  @IsString({ each: true })
  @ArrayUnique()
  @IsArray()
  @IsOptional()
  introspectionClients?: string[];

  /** Issuers whose status lists may be unavailable without refusing their links (fail-open). */
  @IsIssuerUrl({ each: true })
  @ArrayUnique()
  @IsArray()
  @IsOptional()
  failOpenIssuers?: string[];
}
