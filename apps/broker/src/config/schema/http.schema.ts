import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `http:` — deadlines of the HTTP server (slow clients, shutdown). */
export class HttpSchema {
  @Max(120_000)
  @Min(1000)
  @IsInt()
  @IsOptional()
  headersTimeoutMs?: number;

  @Max(300_000)
  @Min(1000)
  @IsInt()
  @IsOptional()
  requestTimeoutMs?: number;

  @Max(300_000)
  @Min(100)
  @IsInt()
  @IsOptional()
  keepAliveTimeoutMs?: number;

  @Max(300_000)
  @Min(0)
  @IsInt()
  @IsOptional()
  shutdownTimeoutMs?: number;
}
