import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { LessThan, LessThanOrEqual, QueryFailedError, type EntityManager } from 'typeorm';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { BatchedLookup } from '../database/batched-lookup.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { RowStatements, type RowWrite } from '../database/row-statements.js';
import { SeenJtiEntity } from '../database/seen-jti.entity.js';
import type { OAuthError } from '../oauth/oauth-error.js';

/** What a remembered identifier was used for; part of the key so uses never collide. */
export type SeenJtiPurpose = 'dpop' | 'client_assertion';

/**
 * A single-use identifier a request presented (a DPoP proof, RFC 9449 §11.1; a client
 * assertion, RFC 7523 §3 item 7). It is checked early without being written, and recorded in
 * the issuance transaction, or by `consume` when the grant refuses the request.
 */
export interface SingleUseClaim {
  readonly purpose: SeenJtiPurpose;
  readonly key: string;
  /** Epoch seconds after which the identifier could not be accepted anyway. */
  readonly expiresAt: number;
  /** What the request is told when another request recorded the identifier first. */
  readonly refusal: () => OAuthError;
}

const PURGE_INTERVAL_MS = 60_000;

const SEEN_JTI_ROWS = new RowStatements(SeenJtiEntity);

/**
 * Single-use identifiers kept in the shared database. `isUnused` refuses a reuse early;
 * `record` inserts the rows inside the issuance transaction and fails on the primary key when
 * another request — in this process or any replica — recorded one first. Expired rows are
 * purged periodically.
 */
@Injectable()
export class SeenJtiStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SeenJtiStore');
  private timer: NodeJS.Timeout | undefined;
  private readonly expiries = new BatchedLookup<number>(async (keys) => {
    const rows = await this.transactions.read((manager) =>
      SEEN_JTI_ROWS.selectIn(manager, 'key', keys, ['key', 'expiresAt']),
    );
    return new Map(rows.map((row) => [row.key, row.expiresAt]));
  });

  constructor(
    private readonly transactions: DatabaseTransactions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.purgeExpired(), PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * `false` when `key` is recorded and not expired at `now`. Writes nothing. Concurrent requests'
   * checks share one query (BatchedLookup).
   */
  async isUnused(purpose: SeenJtiPurpose, key: string, now: number): Promise<boolean> {
    const expiresAt = await this.expiries.get(rowKey(purpose, key));
    return expiresAt === undefined || expiresAt <= now;
  }

  /**
   * Inside `manager`'s transaction, records every claim; throws the claim's refusal when one
   * is already recorded (the transaction then rolls back and nothing is consumed).
   */
  async record(
    manager: EntityManager,
    claims: readonly SingleUseClaim[],
    now: number,
  ): Promise<void> {
    for (const claim of claims) {
      const key = rowKey(claim.purpose, claim.key);
      // A row past its expiry that the purge has not reached yet no longer blocks the key.
      await manager.delete(SeenJtiEntity, { key, expiresAt: LessThanOrEqual(now) });
      try {
        await manager
          .createQueryBuilder()
          .insert()
          .into(SeenJtiEntity)
          .values({ key, expiresAt: Math.max(claim.expiresAt, now + 1) })
          .execute();
      } catch (error) {
        throw isUniqueViolation(error) ? claim.refusal() : error;
      }
    }
  }

  /**
   * `record` for the claims of several requests in one multi-row insert, as a write of the
   * issuance unit. A claim recorded before (even one expired but not purged yet), or twice in
   * `entries`, fails the insert with a unique violation: the caller then records each request's
   * claims with `record` in a transaction of its own, which clears an expired row and names the
   * replayed claim.
   */
  recordAllWrite(
    manager: EntityManager,
    entries: readonly { claim: SingleUseClaim; now: number }[],
  ): RowWrite {
    // In key order: writers whose batches share keys (a replay in flight at two replicas) then
    // wait on them in the same order, so they cannot deadlock, where PostgreSQL would abort one
    // batch whole; the later one fails on a unique key and is retried token by token.
    const rows = entries
      .map(({ claim, now }) => ({
        key: rowKey(claim.purpose, claim.key),
        expiresAt: Math.max(claim.expiresAt, now + 1),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return SEEN_JTI_ROWS.insertWrite(manager, rows);
  }

  /**
   * RFC 9449 §4.3 item 11, §11.1 and RFC 7523 §3 item 7: a request refused after its proof and
   * assertion were accepted still uses them up. Records every claim in its own transaction,
   * leaving a row another request recorded first. A failure is logged; the refusal stands.
   */
  async consume(claims: readonly SingleUseClaim[], now: number): Promise<void> {
    try {
      await this.transactions.run(async (manager) => {
        for (const claim of claims) {
          const key = rowKey(claim.purpose, claim.key);
          await manager.delete(SeenJtiEntity, { key, expiresAt: LessThanOrEqual(now) });
          await manager
            .createQueryBuilder()
            .insert()
            .into(SeenJtiEntity)
            .values({ key, expiresAt: Math.max(claim.expiresAt, now + 1) })
            .orIgnore()
            .execute();
        }
      });
    } catch (error) {
      this.logger.warn(
        `recording the jtis of a refused request failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async purgeExpired(now = epochSeconds(this.clock)): Promise<number> {
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
}

function rowKey(purpose: SeenJtiPurpose, key: string): string {
  return `${purpose}:${createHash('sha256').update(key).digest('base64url')}`;
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
