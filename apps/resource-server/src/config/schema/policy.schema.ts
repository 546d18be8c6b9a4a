import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** `policy:` — chain limits. */
export class PolicySchema {
  @Max(16)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxChainDepth?: number;

  /** Largest token accepted; the HTTP header limit follows it (requestHeaderLimitFor). */
  @Max(32 * 1024)
  @Min(4 * 1024)
  @IsInt()
  @IsOptional()
  maxTokenBytes?: number;

  /** Refuse chains with an exchange hop whose agent proof carries no baton_hop binding. */
  @IsBoolean()
  @IsOptional()
  requireBoundHopProofs?: boolean;
}
