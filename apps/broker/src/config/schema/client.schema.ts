import {
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MinLength,
} from 'class-validator';
import {
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_TOKEN_EXCHANGE,
} from '@baton/chain/protocol';
import { IsPublicJwkSet } from '@baton/config';
import { IsScopeToken } from './scope.validators.js';

export const CLIENT_AUTH_METHODS = [
  'private_key_jwt',
  'client_secret_basic',
  'client_secret_post',
] as const;
export const CLIENT_GRANT_TYPES = [
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  GRANT_TYPE_JWT_BEARER,
] as const;
/** A client without `grantTypes`; the RFC 7523 JWT grant is opt-in. */
export const DEFAULT_CLIENT_GRANT_TYPES = [
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
] as const;

/** One entry of `clients:`. */
export class ClientSchema {
  @Matches(/^[\x21-\x7E]{1,128}$/, { message: '$property must be 1-128 visible ASCII characters' })
  @IsString()
  clientId!: string;

  @IsIn(CLIENT_AUTH_METHODS, {
    message: `$property must be one of ${CLIENT_AUTH_METHODS.join(', ')}`,
  })
  authMethod!: (typeof CLIENT_AUTH_METHODS)[number];

  @IsPublicJwkSet()
  @IsOptional()
  jwks?: { keys: Record<string, unknown>[] };

  /** Plain secret in the file (refused in production mode). */
  @MinLength(16)
  @IsString()
  @IsOptional()
  secret?: string;

  /** Name of the environment variable holding the secret. */
  @MinLength(1)
  @IsString()
  @IsOptional()
  secretEnv?: string;

  /** A precomputed `sha256:<hash>` (generated secrets) or `scrypt:<salt>:<hash>`. */
  @Matches(/^(sha256:[A-Za-z0-9_-]{43}|scrypt:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+)$/, {
    message: '$property must be sha256:<hash> or scrypt:<salt>:<hash>',
  })
  @IsString()
  @IsOptional()
  secretHash?: string;

  @IsScopeToken()
  @ArrayUnique()
  @IsArray()
  scopes!: string[];

  @IsIn(CLIENT_GRANT_TYPES, {
    each: true,
    message: `$property must be among ${CLIENT_GRANT_TYPES.join(', ')}`,
  })
  @ArrayUnique()
  @IsArray()
  @IsOptional()
  grantTypes?: string[];
}
