import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, epochSeconds, type Clock } from '../clock/clock.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { RowStatements, type RowWrite } from '../database/row-statements.js';
import { AuditEventEntity } from './audit-event.entity.js';
import type { AuditEventInput } from './audit-event.js';
import { AUDIT_GENESIS_HASH, auditEventHash, canonicalJson } from './audit-hash.js';
import { AuditHeadEntity } from './audit-head.entity.js';

const AUDIT_EVENT_ROWS = new RowStatements(AuditEventEntity);
const AUDIT_HEAD_ROWS = new RowStatements(AuditHeadEntity);

type ChainHead = Pick<AuditHeadEntity, 'seq' | 'hash'>;

/** The id of the one chain-head row (created by the audit migration). */
export const AUDIT_HEAD_ID = 'log';

/**
 * Appends events to the domain's hash-chained audit log. `append` joins the caller's
 * transaction (an issued token and its event commit or roll back together); `record` runs
 * its own. Either way the chain-head row is locked first, so every replica appends to one
 * linear chain.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);
  /**
   * The chain head as this process last committed it, kept only where this process is the
   * database's only writer (SQLite): a batch then need not read it. Taken (cleared) by every
   * append and put back when that append's transaction commits, so a rollback leaves nothing
   * stale; were the head moved by anything else, the events' sequence numbers (the primary key)
   * would collide and the transaction fail, and the next append reads the head again.
   */
  private committedHead: ChainHead | undefined;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly transactions: DatabaseTransactions,
  ) {}

  /** Append inside the caller's transaction; throws (and so rolls it back) if it cannot. */
  async append(manager: EntityManager, input: AuditEventInput): Promise<AuditEventEntity> {
    const [event] = await this.appendAll(manager, [input]);
    return event;
  }

  /**
   * Append `inputs` in order, chained one to the next, inside the caller's transaction: one
   * locked read of the head, then one multi-row insert and the head's update side by side,
   * however many events. Throws (and so rolls the transaction back) if it cannot.
   */
  async appendAll(
    manager: EntityManager,
    inputs: readonly AuditEventInput[],
  ): Promise<AuditEventEntity[]> {
    const { events, writes } = await this.appendWrites(manager, inputs);
    await this.transactions.together(writes.map((write) => () => write.run(manager)));
    return events;
  }

  /**
   * The events of `inputs`, chained onto the head, and the writes that append them (the events'
   * insert, the head's update), not run yet: for a caller that writes them with its own rows as
   * one unit (`DatabaseTransactions.writeRows`, whose `plan` gets the same `manager`). Reading
   * the head locks it until that unit commits; the genesis head is created first if there is
   * none (a write of its own, which any replica may make: it is ignored on conflict).
   */
  async appendWrites(
    manager: EntityManager,
    inputs: readonly AuditEventInput[],
  ): Promise<{ events: AuditEventEntity[]; writes: RowWrite[] }> {
    const known = this.committedHead;
    this.committedHead = undefined;
    // Reading the head locks it until commit: appends from every replica serialise here.
    const head = known ?? (await lockedHead(manager)) ?? (await createHead(manager));
    const events: AuditEventEntity[] = [];
    let previous = { seq: head.seq, hash: head.hash };
    for (const input of inputs) {
      const event = chainedEvent(input, previous.seq + 1, previous.hash);
      events.push(event);
      previous = event;
    }
    const last = { seq: previous.seq, hash: previous.hash };
    if (this.transactions.singleWriter) {
      this.transactions.afterCommit(manager, () => {
        this.committedHead = last;
      });
    }
    return {
      events,
      writes: [
        AUDIT_EVENT_ROWS.insertWrite(manager, events),
        AUDIT_HEAD_ROWS.updateWrite(manager, 'id', AUDIT_HEAD_ID, last),
      ],
    };
  }

  /** Append in a transaction of its own. */
  record(input: Omit<AuditEventInput, 'at'> & { at?: number }): Promise<AuditEventEntity> {
    const at = input.at ?? epochSeconds(this.clock);
    return this.transactions.run((manager) => this.append(manager, { ...input, at }));
  }

  /** Like `record`, for events that must not turn a refusal into a server error: a failure is logged. */
  async recordQuietly(input: Omit<AuditEventInput, 'at'>): Promise<void> {
    try {
      await this.record(input);
    } catch (error) {
      this.logger.error(
        `audit event ${input.kind} could not be written: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  now(): number {
    return epochSeconds(this.clock);
  }
}

/** Take the chain-head lock until the transaction ends; false when no head row exists yet. */
export async function lockHead(manager: EntityManager): Promise<boolean> {
  return (await lockedHead(manager)) !== undefined;
}

/** The chain head, locked until the transaction ends; undefined when no head row exists yet. */
async function lockedHead(manager: EntityManager): Promise<ChainHead | undefined> {
  return AUDIT_HEAD_ROWS.selectLocked(manager, 'id', AUDIT_HEAD_ID, ['seq', 'hash']);
}

/** The genesis head (another replica may create it at once: ignored on conflict), locked. */
async function createHead(manager: EntityManager): Promise<ChainHead> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(AuditHeadEntity)
    .values({
      id: AUDIT_HEAD_ID,
      seq: 0,
      hash: AUDIT_GENESIS_HASH,
      anchorSeq: 0,
      anchorHash: AUDIT_GENESIS_HASH,
    })
    .orIgnore()
    .execute();
  const head = await lockedHead(manager);
  if (head === undefined) {
    throw new Error('the audit chain head could not be created');
  }
  return head;
}

function chainedEvent(input: AuditEventInput, seq: number, prevHash: string): AuditEventEntity {
  const fields = {
    at: input.at,
    kind: input.kind,
    issuer: input.issuer ?? null,
    jti: input.jti ?? null,
    parentIssuer: input.parentIssuer ?? null,
    parentJti: input.parentJti ?? null,
    subject: input.subject ?? null,
    clientId: input.clientId ?? null,
    cnfJkt: input.cnfJkt ?? null,
    data: canonicalJson(input.data),
    prevHash,
  };
  return { seq, ...fields, hash: auditEventHash(fields) };
}
