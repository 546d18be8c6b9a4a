import { DPOP_ALGORITHMS } from '@baton/chain/protocol';
import { ArrayNotEmpty, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

/** `dpop:` — how DPoP proofs presented with a token are checked (RFC 9449 §4.3). */
export class DpopSchema {
  @IsIn(DPOP_ALGORITHMS, {
    each: true,
    message: `$property must be among ${DPOP_ALGORITHMS.join(', ')}`,
  })
  @ArrayNotEmpty()
  @IsArray()
  @IsOptional()
  algorithms?: string[];

  @Max(600)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxAgeSeconds?: number;

  @Max(300)
  @Min(0)
  @IsInt()
  @IsOptional()
  clockSkewSeconds?: number;
}
