import type { ActorClaim } from './index.js';

/**
 * The `act` claim after one more exchange hop (RFC 8693 §4.1): the new hop outermost, the
 * previous nesting inside it. Issuers build `act` with it and verifiers recompute it from the
 * links (invariant 7), so both sides nest the same way.
 *
 * @example nestAct({ iss: 'https://a.example', sub: 'agent' }, { iss: 'https://b.example', sub: 'agent@b' })
 */
export function nestAct(
  previous: ActorClaim | undefined,
  hop: { iss: string; sub: string },
): ActorClaim {
  return previous === undefined
    ? { iss: hop.iss, sub: hop.sub }
    : { iss: hop.iss, sub: hop.sub, act: previous };
}
