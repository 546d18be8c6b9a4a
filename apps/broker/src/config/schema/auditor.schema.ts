import { IsOptional, IsString, Matches, MinLength } from 'class-validator';

/** One entry of `auditors:` — a credential for the auditor API, never a client. */
export class AuditorSchema {
  /** Names the auditor in the credential `<id>.<secret>` (RFC 6750 b64token characters). */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: '$property must be 1-64 of A-Z a-z 0-9 _ -' })
  @IsString()
  id!: string;

  /** Plain secret in the file (refused in production mode). */
  @Matches(/^[A-Za-z0-9._~+/-]+=*$/, { message: '$property must use RFC 6750 b64token characters' })
  @MinLength(16)
  @IsString()
  @IsOptional()
  secret?: string;

  /** Name of the environment variable holding the secret. */
  @MinLength(1)
  @IsString()
  @IsOptional()
  secretEnv?: string;

  /** A precomputed `scrypt:<salt>:<hash>`. */
  @Matches(/^scrypt:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/, {
    message: '$property must be scrypt:<salt>:<hash>',
  })
  @IsString()
  @IsOptional()
  secretHash?: string;
}
