import { IsIn, IsOptional, IsString, Matches, MinLength, ValidateIf } from 'class-validator';

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
}
