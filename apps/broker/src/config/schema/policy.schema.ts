import { IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';
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

  @IsEndpointUrl({ each: true })
  @IsArray()
  @IsOptional()
  audiences?: string[];
}
