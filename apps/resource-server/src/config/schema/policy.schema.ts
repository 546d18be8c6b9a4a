import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `policy:` — chain limits. */
export class PolicySchema {
  @Max(16)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxChainDepth?: number;
}
