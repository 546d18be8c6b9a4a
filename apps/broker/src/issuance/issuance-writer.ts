import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isDatabaseUnavailable } from '../database/database-faults.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { IssuedTokenEntity } from '../database/issued-token.entity.js';
import { RowStatements, type RowWrite } from '../database/row-statements.js';
import { SerialDrain } from '../database/serial-drain.js';
import { isUniqueViolation, SeenJtiStore, type SingleUseClaim } from '../dpop/seen-jti.store.js';
import { BrokerMetrics } from '../observability/broker-metrics.js';
import {
  ISSUANCE_PARTICIPANTS,
  type IssuanceParticipant,
  type IssuanceResult,
} from './issuance-participant.js';

/** A signed token whose rows are waiting to be committed. */
export interface SignedIssuance {
  /** Proof and assertion identifiers the request presented (single use). */
  readonly singleUse: readonly SingleUseClaim[];
  /** Epoch seconds: the request's `now`. */
  readonly now: number;
  readonly result: IssuanceResult;
}

interface Waiting {
  readonly issuance: SignedIssuance;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const ISSUED_TOKEN_ROWS = new RowStatements(IssuedTokenEntity);

/** Tokens per batch: bounds its statements (about 1,300 bound parameters for the records). */
const MAX_BATCH = 64;

/**
 * Group commit of issued tokens. While one batch commits, the tokens signed meanwhile wait; the
 * next batch writes them all as one unit (`DatabaseTransactions.writeRows`: their single-use
 * rows, records and participants' rows in a few multi-row writes) and commits once, so the
 * durable write (WAL fsync on SQLite, a commit round trip on PostgreSQL) and the audit chain-head
 * lock are paid per batch, not per token. A token alone is written at once.
 *
 * All or nothing per token: a batch commits whole or not at all, and each waiting request is
 * told its own outcome. When a batch fails on a row (a proof or assertion another request
 * recorded first, a value the database refuses), every token of it is written again in a
 * transaction of its own, so only the token at fault is refused (a replay with its own claim's
 * error). Only when the database cannot take writes at all is the whole batch refused at once.
 */
@Injectable()
export class IssuanceWriter {
  private waiting: Waiting[] = [];
  private readonly batches = new SerialDrain(
    () => this.waiting.length > 0,
    () => this.commit(() => this.waiting.splice(0, MAX_BATCH)),
  );

  constructor(
    @Inject(ISSUANCE_PARTICIPANTS) private readonly participants: readonly IssuanceParticipant[],
    private readonly transactions: DatabaseTransactions,
    private readonly seen: SeenJtiStore,
    private readonly metrics: BrokerMetrics,
  ) {}

  /** Resolves once the token's rows are committed; rejects with why they were not. */
  write(issuance: SignedIssuance): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ issuance, resolve, reject });
      this.batches.kick();
    });
  }

  /**
   * One unit of writes for the tokens `take` returns, called once the unit has its turn on the
   * database: tokens signed while it waited join this batch instead of waiting for the next.
   * `oneByOne` is the retry after a single-use row was already taken: each token alone, its
   * claims recorded one at a time so the refusal names the claim.
   */
  private async commit(take: () => readonly Waiting[], oneByOne = false): Promise<void> {
    let taken: readonly Waiting[] | undefined;
    const batch = () => (taken ??= take());
    const started = performance.now();
    try {
      if (oneByOne) {
        await this.transactions.run((tx) => this.writeAlone(tx, batch()[0].issuance));
      } else {
        await this.transactions.writeRows((manager) =>
          this.batchWrites(
            manager,
            batch().map((waiting) => waiting.issuance),
          ),
        );
      }
    } catch (error) {
      if (!oneByOne && (isUniqueViolation(error) || !isDatabaseUnavailable(error))) {
        for (const waiting of batch()) {
          await this.commit(() => [waiting], true);
        }
        return;
      }
      // The database cannot take writes now (full, unreachable, busy): every token is refused,
      // also when the unit could not begin.
      for (const waiting of batch()) {
        waiting.reject(error);
      }
      return;
    }
    this.metrics.issuanceUnitTokens.observe(batch().length);
    this.metrics.issuanceUnitDuration.observe((performance.now() - started) / 1000);
    for (const waiting of batch()) {
      waiting.resolve();
    }
  }

  /** The batch's writes: its single-use rows, its records, then the participants' rows. */
  private async batchWrites(
    manager: EntityManager,
    batch: readonly SignedIssuance[],
  ): Promise<RowWrite[]> {
    const singleUse = batch.flatMap(({ singleUse, now }) =>
      singleUse.map((claim) => ({ claim, now })),
    );
    return [
      this.seen.recordAllWrite(manager, singleUse),
      ...(await this.tokenWrites(manager, batch)),
    ];
  }

  /** One token in a transaction of its own, claim by claim (clearing an expired row first). */
  private async writeAlone(tx: EntityManager, issuance: SignedIssuance): Promise<void> {
    await this.seen.record(tx, issuance.singleUse, issuance.now);
    for (const write of await this.tokenWrites(tx, [issuance])) {
      await write.run(tx);
    }
  }

  /** The records of `batch`'s tokens and what the participants add for them. */
  private async tokenWrites(
    manager: EntityManager,
    batch: readonly SignedIssuance[],
  ): Promise<RowWrite[]> {
    const results = batch.map((issuance) => issuance.result);
    const added: RowWrite[] = [];
    for (const participant of this.participants) {
      added.push(...((await participant.afterSign?.(results, manager)) ?? []));
    }
    return [
      ISSUED_TOKEN_ROWS.insertWrite(
        manager,
        results.map((result) => result.record),
      ),
      ...added,
    ];
  }
}
