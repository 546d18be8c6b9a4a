/** The log levels an operator may choose, most to least severe; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Default level of a service: one line per request and per notable event. */
export const DEFAULT_LOG_LEVEL: LogLevelName = 'info';

export function isLogLevel(value: unknown): value is LogLevelName {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}
