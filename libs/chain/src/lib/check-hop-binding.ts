import type { AcceptedHopProof } from './check-hop-proofs.js';
import { HopProofError } from './errors.js';
import { HOP_BINDING_CLAIM } from '../protocol/index.js';
import { readHopBinding } from './hop-binding-shape.js';
import { parseScope } from './json.js';
import type { ParsedLink } from './parse-chain.js';

/**
 * Invariant 4, order in time (profile 1.1): no hop is dated, and no hop proof was made, before
 * the hop it extends — link i's `iat` and its proof's `iat` are at least link i-1's `iat` minus
 * the clock skew. Runs after the proofs' signatures verified.
 */
export function checkHopOrder(
  links: readonly ParsedLink[],
  proofs: readonly AcceptedHopProof[],
  clockSkew: number,
): void {
  for (let i = 1; i < links.length; i++) {
    const earliest = links[i - 1].claims.iat - clockSkew;
    const link = links[i].claims;
    if (link.iat < earliest) {
      throw new HopProofError('link dated before the hop it extends', {
        link: i,
        issuer: link.iss,
        claim: 'iat',
        expected: earliest,
        actual: link.iat,
      });
    }
    const proofIat = proofs[i].claims['iat'];
    if (typeof proofIat !== 'number' || proofIat < earliest) {
      throw new HopProofError('hop proof made before the hop it extends', {
        link: i,
        issuer: link.iss,
        claim: 'dpop.iat',
        expected: earliest,
        actual: proofIat,
      });
    }
  }
}

/**
 * Invariant 4, subject binding (profile 1.1, docs/chain-spec.md §3.1): a hop proof that carries
 * `baton_hop` names this hop — `sbj_hash` = the link's `sbj.hash`, `prev` = the link's `prev`,
 * `aud` = the link's `aud`, the link's scope within `scope`. With `requireBound`, every exchange
 * hop (a link with `sbj`) must carry one. Runs after the proofs' signatures verified.
 */
export function checkHopBindings(
  links: readonly ParsedLink[],
  proofs: readonly AcceptedHopProof[],
  requireBound: boolean,
): void {
  for (const [i, { claims: link }] of links.entries()) {
    const binding = readHopBinding(proofs[i].claims);
    const fail = (claim: string, message: string) =>
      new HopProofError(message, { link: i, issuer: link.iss, claim });
    if (binding === undefined) {
      if (requireBound && link.sbj !== undefined) {
        throw fail(HOP_BINDING_CLAIM, 'hop proof not bound to its hop');
      }
      continue;
    }
    if (binding === 'malformed' || link.sbj === undefined) {
      throw fail(HOP_BINDING_CLAIM, 'hop proof binding malformed or on an origin grant');
    }
    if (binding.sbj_hash !== link.sbj.hash) {
      throw fail(`${HOP_BINDING_CLAIM}.sbj_hash`, 'hop proof bound to another subject token');
    }
    if (binding.prev !== link.prev) {
      throw fail(`${HOP_BINDING_CLAIM}.prev`, 'hop proof bound to another chain');
    }
    if (binding.aud !== undefined && binding.aud !== link.aud) {
      throw fail(`${HOP_BINDING_CLAIM}.aud`, 'hop proof bound to another audience');
    }
    const asked = new Set(parseScope(binding.scope ?? link.scope));
    if (parseScope(link.scope).some((scope) => !asked.has(scope))) {
      throw fail(`${HOP_BINDING_CLAIM}.scope`, 'hop granted scope the agent did not ask for');
    }
  }
}
