import { auditEventHash, type HashedEventFields } from './audit-hash.js';

/** An event as stored or exported: its hashed fields plus position and hash. */
export interface ChainedEvent extends HashedEventFields {
  seq: number;
  hash: string;
}

/** Where the chain starts (genesis, or the last pruned event) and where the head says it ends. */
export interface AuditChainBounds {
  anchorSeq: number;
  anchorHash: string;
  headSeq: number;
  headHash: string;
}

export type AuditLogProblem = 'altered' | 'removed' | 'inserted';

export type AuditLogVerdict =
  | { valid: true; events: number; headSeq: number; headHash: string }
  | { valid: false; problem: AuditLogProblem; seq: number; message: string };

/**
 * Walk the log in `seq` order from the anchor and name the first event that breaks the chain:
 * - altered: its columns no longer hash to its `hash`, or it was re-hashed so that the next
 *   event's `prev_hash` no longer names it;
 * - removed: a gap in `seq`, or an event whose `prev_hash` names an event that is not there;
 * - inserted: an event the next one links past, or one beyond the chain head.
 * A rewrite of every hash from the tampered event to the head is only caught against a head
 * hash kept elsewhere (an earlier export or verification): compare `headHash`.
 */
export function verifyAuditLog(
  events: readonly ChainedEvent[],
  bounds: AuditChainBounds,
): AuditLogVerdict {
  let previous = { seq: bounds.anchorSeq, hash: bounds.anchorHash };
  let beforePrevious: { seq: number; hash: string } | undefined;
  for (const [index, event] of events.entries()) {
    if (auditEventHash(event) !== event.hash) {
      return broken('altered', event.seq, 'its contents no longer match its hash');
    }
    if (event.prevHash !== previous.hash) {
      return linkProblem(event, previous, beforePrevious, events[index + 1]);
    }
    if (event.seq !== previous.seq + 1) {
      return broken(
        'removed',
        previous.seq + 1,
        `events ${previous.seq + 1}..${event.seq - 1} are missing`,
      );
    }
    if (event.seq > bounds.headSeq) {
      return broken('inserted', event.seq, `it lies beyond the chain head (seq ${bounds.headSeq})`);
    }
    beforePrevious = previous;
    previous = event;
  }
  if (previous.seq < bounds.headSeq) {
    return broken(
      'removed',
      previous.seq + 1,
      `events ${previous.seq + 1}..${bounds.headSeq} before the head are missing`,
    );
  }
  if (previous.hash !== bounds.headHash) {
    return broken('altered', previous.seq, 'the last event is not the one the chain head names');
  }
  return { valid: true, events: events.length, headSeq: previous.seq, headHash: previous.hash };
}

function linkProblem(
  event: ChainedEvent,
  previous: { seq: number; hash: string },
  beforePrevious: { seq: number; hash: string } | undefined,
  next: ChainedEvent | undefined,
): AuditLogVerdict {
  if (beforePrevious !== undefined && event.prevHash === beforePrevious.hash) {
    return broken(
      'inserted',
      previous.seq,
      `event ${event.seq} links past it to event ${beforePrevious.seq}`,
    );
  }
  if (event.seq === previous.seq + 1 && next !== undefined && next.prevHash === event.hash) {
    return broken(
      'altered',
      previous.seq,
      `event ${event.seq} names a different hash for it (re-hashed after a change)`,
    );
  }
  if (event.seq > previous.seq + 1) {
    return broken(
      'removed',
      previous.seq + 1,
      `events ${previous.seq + 1}..${event.seq - 1} are missing`,
    );
  }
  return broken(
    'removed',
    event.seq,
    `the event before it (after event ${previous.seq}) is missing`,
  );
}

function broken(problem: AuditLogProblem, seq: number, reason: string): AuditLogVerdict {
  return { valid: false, problem, seq, message: `event ${seq} ${problem}: ${reason}` };
}
