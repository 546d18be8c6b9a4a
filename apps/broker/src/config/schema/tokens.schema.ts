import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `tokens:` — lifetimes. */
export class TokensSchema {
  @Max(86400)
  @Min(1)
  @IsInt()
  @IsOptional()
  accessTokenTtlSeconds?: number;

  @Max(86400)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxTokenTtlSeconds?: number;
}
