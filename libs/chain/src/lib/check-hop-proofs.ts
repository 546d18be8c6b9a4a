import { ChainError, HopProofError } from './errors.js';
import { DPOP_ALGORITHMS } from '../protocol/index.js';
import type { IssuerTrust } from './issuer-trust.js';
import { verifyDpopProof } from './dpop-proof.js';
import type { ParsedLink } from './parse-chain.js';

export interface HopProofPolicy {
  trust: IssuerTrust;
  maxAge: number;
  clockSkew: number;
  /** Links whose proof was verified before (from the LinkCache); only the jti is rechecked. */
  cachedProofJtis: ReadonlyMap<number, string>;
}

/**
 * Invariant 4: every link carries the agent's own DPoP proof for that hop — signed by the
 * `cnf` key, for POST to that issuer's token endpoint, made within the link's time window —
 * and no proof is reused at another hop. Returns the proof jtis, by link index.
 */
export async function checkHopProofs(
  links: readonly ParsedLink[],
  policy: HopProofPolicy,
): Promise<string[]> {
  const jtis: string[] = [];
  const seen = new Set<string>();
  for (const [i, link] of links.entries()) {
    const jti = policy.cachedProofJtis.get(i) ?? (await verifyHopProof(link, i, policy));
    if (seen.has(jti)) {
      throw new HopProofError('hop proof reused', { link: i, claim: 'jti' });
    }
    seen.add(jti);
    jtis.push(jti);
  }
  return jtis;
}

async function verifyHopProof(
  link: ParsedLink,
  index: number,
  policy: HopProofPolicy,
): Promise<string> {
  const { claims } = link;
  try {
    const url = await policy.trust.getTokenEndpoint(claims.iss);
    // RFC 9449 §4.3 applied at the hop's own time: now = link.iat, no replay store (the broker had one).
    const proof = await verifyDpopProof(claims.dpop, {
      method: 'POST',
      url,
      expectedJkt: claims.cnf.jkt,
      algorithms: DPOP_ALGORITHMS,
      now: claims.iat,
      maxAge: policy.maxAge,
      clockSkew: policy.clockSkew,
    });
    return proof.jti;
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
