import { QueryFailedError } from 'typeorm';

/** SQLite result codes that mean "the database cannot take this now", not "this request is wrong". */
const SQLITE_UNAVAILABLE = new Set([
  'SQLITE_FULL',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_NOMEM',
  'SQLITE_PROTOCOL',
]);

/**
 * PostgreSQL SQLSTATE classes and codes of the same kind: 08 connection exception, 53
 * insufficient resources (53100 disk_full), 57014 query_canceled (statement_timeout), 57P01–57P03
 * shutdown or cannot connect now, 40001 / 40P01 serialization failure and deadlock.
 */
const POSTGRES_UNAVAILABLE = /^(08|53)|^(57014|57P0[1-3]|40001|40P01)$/;

/** Messages of node-postgres and the network when the server cannot be reached in time. */
const CONNECTION_MESSAGES =
  /Query read timeout|timeout exceeded when trying to connect|Connection terminated|connection timeout|not queryable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/i;

/** Storage exhausted: SQLITE_FULL, PostgreSQL 53100 disk_full, ENOSPC. */
export function isStorageFull(error: unknown): boolean {
  return causes(error).some((fault) => {
    const { code } = fault as { code?: unknown };
    return code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC';
  });
}

/**
 * Whether `error` (or any error in its `cause` chain, including TypeORM's `driverError`) says
 * the database is unreachable, stalled, full or busy: worth a 503 and a retry, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some((fault) => {
    const { code, message } = fault as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (SQLITE_UNAVAILABLE.has(code) || isPostgresCode(code))) {
      return true;
    }
    return typeof message === 'string' && CONNECTION_MESSAGES.test(message);
  });
}

function isPostgresCode(code: string): boolean {
  return /^[0-9A-Z]{5}$/.test(code) && POSTGRES_UNAVAILABLE.test(code);
}

/** `error`, its `driverError` and its `cause` chain, at most 8 deep. */
function causes(error: unknown): object[] {
  const found: object[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && found.length < 8) {
    found.push(current);
    if (current instanceof QueryFailedError && typeof current.driverError === 'object') {
      found.push(current.driverError as object);
    }
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}
