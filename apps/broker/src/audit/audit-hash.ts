import { createHash } from 'node:crypto';

/** `prev_hash` of the first event of a log that was never pruned. */
export const AUDIT_GENESIS_HASH = 'genesis';

/** The columns an event's hash covers: everything but its position `seq`. */
export interface HashedEventFields {
  at: number;
  kind: string;
  issuer: string | null;
  jti: string | null;
  parentIssuer: string | null;
  parentJti: string | null;
  subject: string | null;
  clientId: string | null;
  cnfJkt: string | null;
  data: string;
  prevHash: string;
}

/** base64url SHA-256 over the event's columns as one JSON array (fixed order, no ambiguity). */
export function auditEventHash(event: HashedEventFields): string {
  const input = JSON.stringify([
    event.prevHash,
    event.at,
    event.kind,
    event.issuer,
    event.jti,
    event.parentIssuer,
    event.parentJti,
    event.subject,
    event.clientId,
    event.cnfJkt,
    event.data,
  ]);
  return createHash('sha256').update(input, 'utf8').digest('base64url');
}

/** JSON with object keys sorted at every level, so the same facts always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
