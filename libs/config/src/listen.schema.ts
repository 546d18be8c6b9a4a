import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

/** `listen:` — where the HTTP server binds. */
export class ListenSchema {
  @MinLength(1)
  @IsString()
  @IsOptional()
  host?: string;

  @Max(65535)
  @Min(0)
  @IsInt()
  port!: number;
}
