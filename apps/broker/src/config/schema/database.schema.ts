import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

/** `database:` — SQLite file (default) or PostgreSQL URL. */
export class DatabaseSchema {
  @IsIn(['sqlite', 'postgres'])
  type!: 'sqlite' | 'postgres';

  @MinLength(1)
  @IsString()
  @ValidateIf((o: DatabaseSchema) => o.type === 'sqlite' || o.path !== undefined)
  path?: string;

  @Matches(/^postgres(ql)?:\/\//, { message: '$property must be a postgres:// URL' })
  @IsString()
  @IsOptional()
  url?: string;

  /** Name of an environment variable holding the PostgreSQL URL (it may carry a password). */
  @MinLength(1)
  @IsString()
  @IsOptional()
  urlEnv?: string;

  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: '$property must be a lower-case SQL identifier' })
  @IsString()
  @IsOptional()
  schema?: string;

  /** PostgreSQL: deadline for establishing one connection. */
  @Max(60_000)
  @Min(100)
  @IsInt()
  @IsOptional()
  connectTimeoutMs?: number;

  /** PostgreSQL: deadline for getting a pooled connection. */
  @Max(60_000)
  @Min(100)
  @IsInt()
  @IsOptional()
  acquireTimeoutMs?: number;

  /** Deadline of one statement (PostgreSQL statement_timeout; SQLite busy timeout). */
  @Max(300_000)
  @Min(100)
  @IsInt()
  @IsOptional()
  statementTimeoutMs?: number;

  @Max(200)
  @Min(1)
  @IsInt()
  @IsOptional()
  poolSize?: number;

  /** `Retry-After` of a 503 answered when the database cannot answer in time. */
  @Max(3600)
  @Min(1)
  @IsInt()
  @IsOptional()
  retryAfterSeconds?: number;
}
