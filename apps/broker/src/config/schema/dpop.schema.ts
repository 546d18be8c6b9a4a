import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_HOP_PROOF_MAX_AGE_SECONDS,
} from '@baton/chain/protocol';

/** `dpop:` — proof checks at the token endpoint. */
export class DpopSchema {
  @IsBoolean()
  @IsOptional()
  requireNonce?: boolean;

  // The accepted proof becomes this hop's link.dpop, which verifiers (this broker included) check
  // against link.iat with a maximum age of DEFAULT_HOP_PROOF_MAX_AGE_SECONDS (docs/chain-spec.md §5 step 4).
  @Max(DEFAULT_HOP_PROOF_MAX_AGE_SECONDS)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxAgeSeconds?: number;

  // Verifiers downstream accept a hop proof dated at most their own skew (default
  // DEFAULT_CLOCK_SKEW_SECONDS) after its link's iat; a wider skew here would issue links they refuse.
  @Max(DEFAULT_CLOCK_SKEW_SECONDS)
  @Min(0)
  @IsInt()
  @IsOptional()
  clockSkewSeconds?: number;
}
