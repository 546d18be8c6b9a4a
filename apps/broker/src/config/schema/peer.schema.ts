import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
} from 'class-validator';
import { IsPublicJwkSet } from '@baton/config';
import { IsScopeToken } from './scope.validators.js';
import { IsEndpointUrl, IsIssuerUrl } from '@baton/config';

export const PEER_ROLES = ['present', 'upstream'] as const;

/** One entry of `peers:`. */
export class PeerSchema {
  @IsIssuerUrl()
  issuer!: string;

  @IsPublicJwkSet()
  @IsOptional()
  jwks?: { keys: Record<string, unknown>[] };

  @IsBoolean()
  @IsOptional()
  discover?: boolean;

  @IsEndpointUrl()
  @IsOptional()
  tokenEndpoint?: string;

  @IsIn(PEER_ROLES, { each: true, message: `$property must be among ${PEER_ROLES.join(', ')}` })
  @ArrayUnique()
  @ArrayNotEmpty()
  @IsArray()
  @IsOptional()
  roles?: ('present' | 'upstream')[];

  @IsScopeToken()
  @IsArray()
  @IsOptional()
  allowedScopes?: string[];

  @IsEndpointUrl({ each: true })
  @IsArray()
  @IsOptional()
  allowedAudiences?: string[];

  @Max(32)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxChainDepth?: number;
}
