import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** `dpop:` — proof checks at the token endpoint. */
export class DpopSchema {
  @IsBoolean()
  @IsOptional()
  requireNonce?: boolean;

  @Max(3600)
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
