import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

/** `retention:` — how long records are kept after they stop mattering. */
export class RetentionSchema {
  /** Seconds an `issued_token` row is kept after its token expired (default 30 days). */
  @Min(0)
  @IsInt()
  @IsOptional()
  issuedTokenSeconds?: number;

  /** Seconds an audit event is kept before it is archived and pruned (default 365 days). */
  @Min(0)
  @IsInt()
  @IsOptional()
  auditEventSeconds?: number;

  @Max(86400)
  @Min(1)
  @IsInt()
  @IsOptional()
  intervalSeconds?: number;

  /** Directory for JSON Lines archives of pruned rows; without it pruned rows are deleted. */
  @MinLength(1)
  @IsString()
  @IsOptional()
  archiveDir?: string;
}
