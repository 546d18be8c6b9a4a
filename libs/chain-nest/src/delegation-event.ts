import type { ChainError, VerifiedRequest } from '@baton/chain';

/** What the verified chain of an accepted call says: who, with which key, along which domains. */
export interface VerifiedChainSummary {
  subject: string;
  agentKeyThumbprint: string;
  originIssuer: string;
  /** Issuer of each hop, oldest first. */
  issuers: string[];
  depth: number;
  scope: string[];
  /** The presented token's `(iss, jti)`: the join key to the issuing domain's audit log. */
  token: { iss: string; jti: string };
}

interface DelegationEventBase {
  /** Epoch seconds. */
  at: number;
  method: string;
  /** The route pattern when the framework knows it (`/api/orders/:id`), else the path. */
  route: string;
}

/** One call a {@link DelegationGuard} decided on; never the token, a proof or a header. */
export type DelegationEvent =
  | (DelegationEventBase & { outcome: 'accepted'; chain: VerifiedChainSummary })
  | (DelegationEventBase & {
      outcome: 'refused';
      /** The library's stable code (`ERR_SIGNATURE`, `ERR_DPOP_PROOF`, ...) and its invariant. */
      code: string;
      invariant: number;
      /** The RFC 6750 / RFC 9449 error sent, absent for a bare challenge (no credentials). */
      error?: string;
      status: number;
    });

/** Receives every decision; where it goes (a log, a queue, a database) is the application's choice. */
export type DelegationEventHook = (event: DelegationEvent) => void | Promise<void>;

export function acceptedEvent(
  base: DelegationEventBase,
  verified: VerifiedRequest,
): DelegationEvent {
  return {
    ...base,
    outcome: 'accepted',
    chain: {
      subject: verified.subject,
      agentKeyThumbprint: verified.agentKeyThumbprint,
      originIssuer: verified.originIssuer,
      issuers: verified.hops.map((hop) => hop.domain),
      depth: verified.depth,
      scope: verified.scope,
      token: { iss: String(verified.claims['iss']), jti: String(verified.claims['jti']) },
    },
  };
}

export function refusedEvent(
  base: DelegationEventBase,
  error: ChainError,
  refusal: { status: number; error?: string },
): DelegationEvent {
  return {
    ...base,
    outcome: 'refused',
    code: error.code,
    invariant: error.invariant,
    ...(refusal.error === undefined ? {} : { error: refusal.error }),
    status: refusal.status,
  };
}
