import { IsIn, IsInt, IsOptional, IsString, Min, MinLength } from 'class-validator';
import { DOMAIN_SIGNING_ALGORITHMS, type DomainSigningAlgorithm } from '@baton/chain/protocol';

/** `keys:` — the domain's signing keys. */
export class KeysSchema {
  @IsIn(DOMAIN_SIGNING_ALGORITHMS, {
    message: `$property must be one of ${DOMAIN_SIGNING_ALGORITHMS.join(', ')}`,
  })
  @IsOptional()
  algorithm?: DomainSigningAlgorithm;

  @Min(60)
  @IsInt()
  @IsOptional()
  rotationIntervalSeconds?: number;

  @Min(0)
  @IsInt()
  @IsOptional()
  prePublishSeconds?: number;

  /** Name of the environment variable holding the 32-byte key-encryption key (base64url or hex). */
  @MinLength(1)
  @IsString()
  @IsOptional()
  encryptionKeyEnv?: string;
}
