import type { AuditEventInput } from './audit-event.js';

/** What the revocation feature knows when it revokes one token here. */
export interface RevokedToken {
  /** The revoked token's `(iss, jti)`: the join key to its `token.issued` event. */
  iss: string;
  jti: string;
  /** Why: `rfc7009` (a client asked), `cascade` (an ancestor was revoked), `operator`, ... */
  reason: string;
  /** The client or operator that asked; never a credential. */
  requestedBy?: string;
  /** For a cascade, the `(iss, jti)` whose revocation reached this token. */
  cascadeFrom?: { iss: string; jti: string };
  subject?: string;
  cnfJkt?: string;
}

/**
 * The audit event of a revocation. Append it with `AuditLog.append(manager, event)` inside the
 * transaction that records the revocation, so neither exists without the other.
 */
export function tokenRevokedEvent(at: number, token: RevokedToken): AuditEventInput {
  return {
    kind: 'token.revoked',
    at,
    issuer: token.iss,
    jti: token.jti,
    ...(token.cascadeFrom === undefined
      ? {}
      : { parentIssuer: token.cascadeFrom.iss, parentJti: token.cascadeFrom.jti }),
    ...(token.subject === undefined ? {} : { subject: token.subject }),
    ...(token.requestedBy === undefined ? {} : { clientId: token.requestedBy }),
    ...(token.cnfJkt === undefined ? {} : { cnfJkt: token.cnfJkt }),
    data: { reason: token.reason },
  };
}
