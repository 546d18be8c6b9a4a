import type { EntityManager } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuditHeadEntity } from './audit-head.entity.js';
import { AUDIT_GENESIS_HASH } from './audit-hash.js';
import { AUDIT_HEAD_ID } from './audit-log.service.js';
import { verifyAuditLog, type AuditChainBounds, type AuditLogVerdict } from './verify-audit-log.js';

const PAGE = 1000;

/** The chain's bounds as the head row records them (the genesis when nothing was appended yet). */
export async function readChainBounds(manager: EntityManager): Promise<AuditChainBounds> {
  const head = await manager.findOneBy(AuditHeadEntity, { id: AUDIT_HEAD_ID });
  return head === null
    ? { anchorSeq: 0, anchorHash: AUDIT_GENESIS_HASH, headSeq: 0, headHash: AUDIT_GENESIS_HASH }
    : {
        anchorSeq: head.anchorSeq,
        anchorHash: head.anchorHash,
        headSeq: head.seq,
        headHash: head.hash,
      };
}

/** Every stored event in `seq` order, read a page at a time. */
export async function readAllEvents(manager: EntityManager): Promise<AuditEventEntity[]> {
  const events: AuditEventEntity[] = [];
  for (;;) {
    const last = events.length === 0 ? -1 : events[events.length - 1].seq;
    const page = await manager
      .createQueryBuilder(AuditEventEntity, 'e')
      .where('e.seq > :last', { last })
      .orderBy('e.seq', 'ASC')
      .take(PAGE)
      .getMany();
    events.push(...page);
    if (page.length < PAGE) {
      return events;
    }
  }
}

/** Verify the domain's whole stored log against its head row. */
export async function verifyStoredAuditLog(manager: EntityManager): Promise<AuditLogVerdict> {
  const bounds = await readChainBounds(manager);
  return verifyAuditLog(await readAllEvents(manager), bounds);
}
