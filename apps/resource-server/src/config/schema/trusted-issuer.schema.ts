import type { IssuerRole } from '@baton/chain';
import { DOMAIN_SIGNING_ALGORITHMS } from '@baton/chain/protocol';
import { IsEndpointUrl, IsIssuerUrl, IsPublicJwkSet } from '@baton/config';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
} from 'class-validator';

export const ISSUER_ROLES: readonly IssuerRole[] = ['present', 'upstream', 'origin'];

/** One entry of `trustedIssuers:`; exactly one of `jwks` and `discover: true` (a cross-field rule). */
export class TrustedIssuerSchema {
  @IsIssuerUrl()
  @IsDefined({ message: '$property is required' })
  issuer!: string;

  @IsIn(ISSUER_ROLES, { each: true, message: `$property must be among ${ISSUER_ROLES.join(', ')}` })
  @ArrayUnique()
  @ArrayNotEmpty()
  @IsArray()
  @IsOptional()
  roles?: IssuerRole[];

  @IsPublicJwkSet()
  @IsOptional()
  jwks?: { keys: Record<string, unknown>[] };

  @IsBoolean()
  @IsOptional()
  discover?: boolean;

  @IsEndpointUrl()
  @IsOptional()
  tokenEndpoint?: string;

  /** Accept this issuer's links when its status list cannot be had (default: refuse them). */
  @IsBoolean()
  @IsOptional()
  statusFailOpen?: boolean;

  @IsIn(DOMAIN_SIGNING_ALGORITHMS, {
    each: true,
    message: `$property must be among ${DOMAIN_SIGNING_ALGORITHMS.join(', ')}`,
  })
  @ArrayNotEmpty()
  @IsArray()
  @IsOptional()
  algorithms?: string[];
}
