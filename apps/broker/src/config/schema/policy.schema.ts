import { IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsEndpointUrl } from '@baton/config';

/** `policy:` — chain limits and onward audiences. */
export class PolicySchema {
  @Max(32)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxChainDepth?: number;

  @IsEndpointUrl({ each: true })
  @IsArray()
  @IsOptional()
  audiences?: string[];
}
