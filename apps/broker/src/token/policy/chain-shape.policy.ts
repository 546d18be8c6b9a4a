import { OAuthError } from '../../oauth/oauth-error.js';

/** Collapses consecutive repeats: a hop within one domain (A→A) is not a revisit. */
export function collapseRepeats(issuers: readonly string[]): string[] {
  return issuers.filter((issuer, index) => index === 0 || issuers[index - 1] !== issuer);
}

/**
 * DESIGN §3 invariant 8 for the hop about to be added: the new chain (previous link issuers
 * plus this domain) stays within `maxDepth` links and visits no domain twice.
 */
export function checkChainShape(
  previousIssuers: readonly string[],
  issuer: string,
  maxDepth: number,
): void {
  const depth = previousIssuers.length + 1;
  if (depth > maxDepth) {
    throw new OAuthError(
      'invalid_grant',
      `the chain would exceed the maximum depth of ${maxDepth} hops`,
    );
  }
  const path = collapseRepeats([...previousIssuers, issuer]);
  if (new Set(path).size !== path.length) {
    throw new OAuthError('invalid_grant', 'a domain may not appear twice in a chain');
  }
}

/**
 * Refuses early to address a domain already on the chain (other than this one): the next hop
 * there would revisit it, which that domain must refuse anyway.
 */
export function checkTargetNotRevisited(
  previousIssuers: readonly string[],
  issuer: string,
  audience: string,
): void {
  if (audience !== issuer && previousIssuers.includes(audience)) {
    throw new OAuthError('invalid_target', 'a domain may not appear twice in a chain');
  }
}

/** exp never extends (DESIGN §3 invariant 5) and never passes this domain's maximum lifetime. */
export function capExpiry(
  now: number,
  ttlSeconds: number,
  maxTtlSeconds: number,
  subjectExp?: number,
): number {
  const candidates = [now + ttlSeconds, now + maxTtlSeconds];
  if (subjectExp !== undefined) {
    candidates.push(subjectExp);
  }
  const exp = Math.min(...candidates);
  if (exp <= now) {
    throw new OAuthError('invalid_grant', 'the subject token has expired');
  }
  return exp;
}
