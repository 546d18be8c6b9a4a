import type { Logger as TypeOrmLogger } from 'typeorm';
import type { BrokerMetrics } from './broker-metrics.js';

/**
 * TypeORM's logger, used only to count failed queries into `baton_database_errors_total` by
 * driver code. Unique violations are not errors here: the replay stores detect a reused value by
 * them. Queries and their parameters are never logged (they hold token hashes and client ids).
 */
export class QueryErrorCounter implements TypeOrmLogger {
  constructor(private readonly metrics: BrokerMetrics) {}

  logQueryError(error: string | Error): void {
    if (!isUniqueViolation(error)) {
      this.metrics.databaseErrors.inc({ code: driverCode(error) });
    }
  }

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

function driverCode(error: string | Error): string {
  const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : 'other';
}

/** PostgreSQL 23505; SQLite SQLITE_CONSTRAINT on a primary key or unique index. */
function isUniqueViolation(error: string | Error): boolean {
  if (typeof error !== 'object') {
    return false;
  }
  const code = (error as { code?: unknown }).code;
  return (
    code === '23505' ||
    (code === 'SQLITE_CONSTRAINT' && /UNIQUE|PRIMARY KEY/.test(String(error.message)))
  );
}
