import type { AuditEventEntity } from './audit-event.entity.js';

/** An event as the auditor API shows it: `data` parsed; `dataText` is what the hash covers. */
export interface AuditEventView {
  seq: number;
  at: number;
  kind: string;
  issuer: string | null;
  jti: string | null;
  parent: { iss: string | null; jti: string } | null;
  subject: string | null;
  clientId: string | null;
  cnfJkt: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export function auditEventView(event: AuditEventEntity): AuditEventView {
  return {
    seq: event.seq,
    at: event.at,
    kind: event.kind,
    issuer: event.issuer,
    jti: event.jti,
    parent: event.parentJti === null ? null : { iss: event.parentIssuer, jti: event.parentJti },
    subject: event.subject,
    clientId: event.clientId,
    cnfJkt: event.cnfJkt,
    data: JSON.parse(event.data) as Record<string, unknown>,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
