import { IsIn, IsOptional } from 'class-validator';
import { LOG_LEVELS, type LogLevelName } from './log-levels.js';

/** `logging:` — JSON lines on standard output. */
export class LoggingSchema {
  @IsIn(LOG_LEVELS, { message: `$property must be one of ${LOG_LEVELS.join(', ')}` })
  @IsOptional()
  level?: LogLevelName;
}
