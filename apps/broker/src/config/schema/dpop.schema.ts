import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_HOP_PROOF_MAX_AGE_SECONDS } from '@baton/chain';

/** `dpop:` — proof checks at the token endpoint. */
export class DpopSchema {
  @IsBoolean()
  @IsOptional()
  requireNonce?: boolean;

  // The accepted proof becomes this hop's link.dpop, which verifiers (this broker included) check
  // against link.iat with a maximum age of DEFAULT_HOP_PROOF_MAX_AGE_SECONDS (DESIGN §3 inv. 4).
  @Max(DEFAULT_HOP_PROOF_MAX_AGE_SECONDS)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxAgeSeconds?: number;

  @Max(600)
  @Min(0)
  @IsInt()
  @IsOptional()
  clockSkewSeconds?: number;
}
