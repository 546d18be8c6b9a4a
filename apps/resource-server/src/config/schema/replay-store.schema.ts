import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `replayStore:` — the in-memory DPoP proof `jti` cache. */
export class ReplayStoreSchema {
  @Max(10_000_000)
  @Min(1)
  @IsInt()
  @IsOptional()
  maxEntries?: number;
}
