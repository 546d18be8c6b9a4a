import { IsArray, IsBoolean, IsOptional } from 'class-validator';
import { IsPublicJwkSet } from '@baton/config';
import { IsScopeToken } from './scope.validators.js';
import { IsIssuerUrl } from '@baton/config';

/** One entry of `externalIssuers:` (an IdP whose DPoP-bound tokens may start a chain). */
export class ExternalIssuerSchema {
  @IsIssuerUrl()
  issuer!: string;

  @IsPublicJwkSet()
  @IsOptional()
  jwks?: { keys: Record<string, unknown>[] };

  @IsBoolean()
  @IsOptional()
  discover?: boolean;

  @IsScopeToken()
  @IsArray()
  @IsOptional()
  allowedScopes?: string[];
}
