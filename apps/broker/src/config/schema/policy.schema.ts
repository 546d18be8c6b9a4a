import { IsArray, IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsEndpointUrl } from '@baton/config';

/** `policy:` — chain limits and onward audiences. */
export class PolicySchema {
  @Max(32)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxChainDepth?: number;

  /** Largest token accepted or issued; the HTTP header limit follows it (requestHeaderLimitFor). */
  @Max(32 * 1024)
  @Min(4 * 1024)
  @IsInt()
  @IsOptional()
  maxTokenBytes?: number;

  /** Refuse subject and actor tokens with an exchange hop whose agent proof is not bound (baton_hop). */
  @IsBoolean()
  @IsOptional()
  requireBoundHopProofs?: boolean;

  @IsEndpointUrl({ each: true })
  @IsArray()
  @IsOptional()
  audiences?: string[];
}
