import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `rateLimits:` — token-endpoint limits and client-authentication back-off. */
export class RateLimitsSchema {
  @Max(3600)
  @Min(1)
  @IsInt()
  @IsOptional()
  windowSeconds?: number;

  @Min(1)
  @IsInt()
  @IsOptional()
  perSource?: number;

  @Min(1)
  @IsInt()
  @IsOptional()
  perClient?: number;

  @Max(1000)
  @Min(1)
  @IsInt()
  @IsOptional()
  authFailureThreshold?: number;

  @Max(86400)
  @Min(1)
  @IsInt()
  @IsOptional()
  authFailureMaxBackoffSeconds?: number;

  @Max(64)
  @Min(1)
  @IsInt()
  @IsOptional()
  secretHashConcurrency?: number;

  @Max(10_000)
  @Min(0)
  @IsInt()
  @IsOptional()
  secretHashQueue?: number;
}
