import { StatusError } from './errors.js';
import type { LinkClaims } from '../protocol/index.js';

export interface Lifetime {
  iat: number;
  exp: number;
  nbf?: unknown;
}

/** Invariant 10 (time): not expired, not issued in the future, not before `nbf` (RFC 7519 §4.1.4–4.1.6). */
export function checkLifetime(lifetime: Lifetime, now: number, skew: number, link?: number): void {
  if (lifetime.exp <= now - skew) {
    throw new StatusError('ERR_EXPIRED', 'expired', {
      link,
      claim: 'exp',
      expected: now,
      actual: lifetime.exp,
    });
  }
  if (lifetime.iat > now + skew) {
    throw new StatusError('ERR_EXPIRED', 'issued in the future', {
      link,
      claim: 'iat',
      expected: now,
      actual: lifetime.iat,
    });
  }
  if (
    lifetime.nbf !== undefined &&
    (typeof lifetime.nbf !== 'number' || lifetime.nbf > now + skew)
  ) {
    throw new StatusError('ERR_EXPIRED', 'not yet valid', { link, claim: 'nbf' });
  }
}

/** Invariant 10 (revocation): the caller's status source says no link is revoked. */
export async function checkNotRevoked(
  links: readonly LinkClaims[],
  isRevoked: ((link: LinkClaims, index: number) => boolean | Promise<boolean>) | undefined,
): Promise<void> {
  if (isRevoked === undefined) {
    return;
  }
  for (const [i, link] of links.entries()) {
    if ((await isRevoked(link, i)) !== false) {
      throw new StatusError('ERR_REVOKED', 'link revoked', { link: i, issuer: link.iss });
    }
  }
}
