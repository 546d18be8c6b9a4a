import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { LessThan, LessThanOrEqual, QueryFailedError } from 'typeorm';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { SeenJtiEntity } from '../database/seen-jti.entity.js';

/** What a remembered identifier was used for; part of the key so uses never collide. */
export type SeenJtiPurpose = 'dpop' | 'client_assertion';

const PURGE_INTERVAL_MS = 60_000;

/**
 * Single-use identifiers kept in the shared database: `claim` inserts a row and fails on the
 * primary key when another request — in this process or any replica — claimed it first.
 * Expired rows are purged periodically.
 */
@Injectable()
export class SeenJtiStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SeenJtiStore');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly transactions: DatabaseTransactions) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.purgeExpired(), PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** `true` when `key` was not claimed before (now claimed until `expiresAt`), `false` on reuse. */
  async claim(
    purpose: SeenJtiPurpose,
    key: string,
    expiresAt: number,
    now = epochNow(),
  ): Promise<boolean> {
    const row = {
      key: `${purpose}:${createHash('sha256').update(key).digest('base64url')}`,
      expiresAt: Math.max(expiresAt, now + 1),
    };
    if (await this.tryInsert(row)) {
      return true;
    }
    // A row past its expiry that the purge has not reached yet no longer blocks the key.
    const removed = await this.transactions.serialized((manager) =>
      manager.delete(SeenJtiEntity, { key: row.key, expiresAt: LessThanOrEqual(now) }),
    );
    return (removed.affected ?? 0) > 0 && (await this.tryInsert(row));
  }

  async purgeExpired(now = epochNow()): Promise<number> {
    try {
      const result = await this.transactions.serialized((manager) =>
        manager.delete(SeenJtiEntity, { expiresAt: LessThan(now) }),
      );
      return result.affected ?? 0;
    } catch (error) {
      this.logger.warn(
        `purge of expired jtis failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 0;
    }
  }

  private async tryInsert(row: { key: string; expiresAt: number }): Promise<boolean> {
    try {
      await this.transactions.serialized((manager) =>
        manager.createQueryBuilder().insert().into(SeenJtiEntity).values(row).execute(),
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }
}

/** PostgreSQL 23505 unique_violation; SQLite SQLITE_CONSTRAINT on a primary key or unique index. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) {
    return false;
  }
  const driverError = error.driverError as { code?: unknown; message?: unknown } | undefined;
  if (driverError?.code === '23505') {
    return true;
  }
  return (
    driverError?.code === 'SQLITE_CONSTRAINT' &&
    typeof driverError.message === 'string' &&
    /UNIQUE|PRIMARY KEY/.test(driverError.message)
  );
}

function epochNow(): number {
  return Math.floor(Date.now() / 1000);
}
