import { checkChainPath, DepthError } from '@baton/chain';
import { OAuthError } from '../../oauth/oauth-error.js';

/**
 * Invariant 8 (docs/chain-spec.md §5 step 8) for the hop about to be added, by libs/chain's own rule: the new chain
 * (previous link issuers plus this domain) stays within `maxDepth` links and visits no domain
 * twice (a hop within one domain, A→A, is not a revisit).
 */
export function checkChainShape(
  previousIssuers: readonly string[],
  issuer: string,
  maxDepth: number,
): void {
  try {
    checkChainPath([...previousIssuers, issuer], maxDepth);
  } catch (error) {
    if (!(error instanceof DepthError)) {
      throw error;
    }
    throw new OAuthError(
      'invalid_grant',
      error.code === 'ERR_DEPTH'
        ? `the chain would exceed the maximum depth of ${maxDepth} hops`
        : 'a domain may not appear twice in a chain',
      { detail: `${error.code} for the new hop`, cause: error },
    );
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

/**
 * exp never extends (docs/chain-spec.md §5 step 5) and never passes this domain's lifetime:
 * `now + lifetimeSeconds`, or the subject's `exp` when that comes first.
 */
export function capExpiry(now: number, lifetimeSeconds: number, notAfter?: number): number {
  const exp = Math.min(now + lifetimeSeconds, notAfter ?? Infinity);
  if (exp <= now) {
    throw new OAuthError('invalid_grant', 'the subject token has expired');
  }
  return exp;
}
