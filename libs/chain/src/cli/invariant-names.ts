import type { Invariant } from '../lib/errors.js';

/** Short names of the chain invariants (docs/chain-spec.md), for messages. */
export const INVARIANT_NAMES: Readonly<Record<Invariant, string>> = {
  0: 'well-formed input',
  1: 'trusted issuers and signatures',
  2: 'continuity and audience',
  3: 'one agent key on every hop',
  4: "the agent's proof at every hop",
  5: 'attenuation: scope, expiry, subject',
  6: 'hash chaining of the links',
  7: 'act nesting matches the links',
  8: 'depth and no domain twice',
  9: "the request's DPoP proof",
  10: 'not expired, not revoked',
};
