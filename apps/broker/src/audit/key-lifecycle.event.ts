import type { AuditEventInput } from './audit-event.js';

/** A signing key was generated and published; it signs from `activatesAt` (its activation). */
export function keyGeneratedEvent(
  at: number,
  key: { kid: string; alg: string; activatesAt: number },
): AuditEventInput {
  return {
    kind: 'key.generated',
    at,
    data: { kid: key.kid, alg: key.alg, activatesAt: key.activatesAt },
  };
}

/**
 * A pre-published key became the active signing key, as first observed by a replica at `at`;
 * `data` is fixed per key, so the event is found again by its exact `data`.
 */
export function keyActivatedEvent(
  at: number,
  key: { kid: string; activatesAt: number },
): AuditEventInput {
  return { kind: 'key.activated', at, data: { kid: key.kid, activatesAt: key.activatesAt } };
}

/** A key's successor was scheduled: it stops signing at `retiresAt` and leaves the JWKS at `expiresAt`. */
export function keyRetiredEvent(
  at: number,
  key: { kid: string; retiresAt: number; expiresAt: number; successor: string },
): AuditEventInput {
  return {
    kind: 'key.retired',
    at,
    data: {
      kid: key.kid,
      retiresAt: key.retiresAt,
      expiresAt: key.expiresAt,
      successor: key.successor,
    },
  };
}
