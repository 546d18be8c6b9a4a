import { Inject, Injectable } from '@nestjs/common';
import { Between, MoreThan, type EntityManager } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '../config/broker-config.js';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { appendJsonLines } from '../retention/jsonl-archive.js';
import type { RetentionTask } from '../retention/retention-task.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuditHeadEntity } from './audit-head.entity.js';
import { AUDIT_HEAD_ID, lockHead } from './audit-log.service.js';

const BATCH = 500;
const MAX_BATCHES_PER_RUN = 20;

/**
 * Audit events older than `retention.auditEventSeconds`, oldest first: appended to
 * `<archiveDir>/audit_event-<UTC day>.jsonl` and fsynced, then deleted, and the chain's anchor
 * moved to the last of them, all under the chain-head lock, so replicas never prune the same
 * events and the remaining log verifies from the anchor. Only a prefix of the chain is pruned
 * (an older event after a newer one waits for it). Without `archiveDir` nothing is pruned: an
 * audit record is never deleted before it is exported.
 */
@Injectable()
export class AuditLogRetention implements RetentionTask {
  readonly name = 'audit_event';

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly transactions: DatabaseTransactions,
  ) {}

  async prune(now: number): Promise<number> {
    const { archiveDir, auditEventSeconds } = this.config.retention;
    if (archiveDir === undefined) {
      return 0;
    }
    const cutoff = now - auditEventSeconds;
    let removed = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const count = await this.transactions.run((manager) =>
        pruneBatch(manager, archiveDir, cutoff, now),
      );
      removed += count;
      if (count < BATCH) {
        break;
      }
    }
    return removed;
  }
}

async function pruneBatch(
  manager: EntityManager,
  archiveDir: string,
  cutoff: number,
  now: number,
): Promise<number> {
  if (!(await lockHead(manager))) {
    return 0;
  }
  const head = await manager.findOneByOrFail(AuditHeadEntity, { id: AUDIT_HEAD_ID });
  const oldest = await manager.find(AuditEventEntity, {
    where: { seq: MoreThan(head.anchorSeq) },
    order: { seq: 'ASC' },
    take: BATCH,
  });
  const expired = expiredPrefix(oldest, cutoff);
  if (expired.length === 0) {
    return 0;
  }
  const last = expired[expired.length - 1];
  await appendJsonLines(archiveDir, 'audit_event', now, expired);
  await manager.delete(AuditEventEntity, { seq: Between(head.anchorSeq + 1, last.seq) });
  await manager.update(
    AuditHeadEntity,
    { id: AUDIT_HEAD_ID },
    { anchorSeq: last.seq, anchorHash: last.hash },
  );
  return expired.length;
}

function expiredPrefix(events: readonly AuditEventEntity[], cutoff: number): AuditEventEntity[] {
  const end = events.findIndex((event) => event.at >= cutoff);
  return events.slice(0, end === -1 ? events.length : end);
}
