import { ChainError, HopProofError } from './errors.js';
import { DPOP_ALGORITHMS } from '../protocol/index.js';
import type { IssuerTrust } from './issuer-trust.js';
import { decodeDpopProof, verifyDecodedDpopProof } from './dpop-proof.js';
import type { JsonObject } from './json.js';
import type { ParsedLink } from './parse-chain.js';

export interface HopProofPolicy {
  trust: IssuerTrust;
  maxAge: number;
  clockSkew: number;
  /** Links whose proof was verified before (from the LinkCache); only the jti is rechecked. */
  cachedProofs: ReadonlyMap<number, AcceptedHopProof>;
  /** Whether this proof's signature by the key with thumbprint `jkt` is known good (LinkCache.rememberSignature). */
  knowsSignature?: (proof: string, jkt: string) => boolean;
}

/** A link's hop proof once accepted: its `jti` and its claims (for the order and binding checks). */
export interface AcceptedHopProof {
  jti: string;
  claims: Readonly<JsonObject>;
}

/**
 * Invariant 4: every link carries the agent's own DPoP proof for that hop — signed by the
 * `cnf` key, for POST to that issuer's token endpoint, made within the link's time window —
 * and no proof is reused at another hop. Returns the proofs, by link index.
 */
export async function checkHopProofs(
  links: readonly ParsedLink[],
  policy: HopProofPolicy,
): Promise<AcceptedHopProof[]> {
  const proofs: AcceptedHopProof[] = [];
  const seen = new Set<string>();
  for (const [i, link] of links.entries()) {
    // A cached link's proof was verified when the link was: the same link carries the same proof.
    const proof = policy.cachedProofs.get(i) ?? (await verifyHopProof(link, i, policy));
    if (seen.has(proof.jti)) {
      throw new HopProofError('hop proof reused', { link: i, claim: 'jti' });
    }
    seen.add(proof.jti);
    proofs.push(proof);
  }
  return proofs;
}

async function verifyHopProof(
  link: ParsedLink,
  index: number,
  policy: HopProofPolicy,
): Promise<AcceptedHopProof> {
  const { claims } = link;
  try {
    const url = await policy.trust.getTokenEndpoint(claims.iss);
    const decoded = decodeDpopProof(claims.dpop);
    // RFC 9449 §4.3 applied at the hop's own time: now = link.iat, no replay store (the broker had one).
    const proof = await verifyDecodedDpopProof(claims.dpop, decoded, {
      method: 'POST',
      url,
      expectedJkt: claims.cnf.jkt,
      algorithms: DPOP_ALGORITHMS,
      now: claims.iat,
      maxAge: policy.maxAge,
      clockSkew: policy.clockSkew,
      signatureKnown: policy.knowsSignature,
    });
    return { jti: proof.jti, claims: decoded.payload };
  } catch (error) {
    const claim = error instanceof ChainError ? (error.detail.claim ?? 'dpop') : 'dpop';
    throw new HopProofError('hop proof invalid', {
      link: index,
      issuer: claims.iss,
      claim,
      cause: error,
    });
  }
}
