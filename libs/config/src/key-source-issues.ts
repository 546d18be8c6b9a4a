import type { ConfigIssue } from './config-error.js';

/** Where a trusted issuer's keys come from, as written: a static JWKS or RFC 8414 discovery. */
export interface KeySource {
  readonly jwks?: unknown;
  readonly discover?: unknown;
}

/**
 * The issue when an issuer entry at `path` names no key source, or both a `jwks` and
 * `discover: true`; empty when it names exactly one. Does not check the JWKS itself
 * (see {@link IsPublicJwkSet}).
 */
export function keySourceIssues(entry: KeySource, path: string): ConfigIssue[] {
  const hasJwks = entry.jwks !== undefined;
  const discovers = entry.discover === true;
  if (!hasJwks && !discovers) {
    return [{ path, message: 'has no keys: set jwks or discover: true' }];
  }
  if (hasJwks && discovers) {
    return [{ path, message: 'sets both jwks and discover: true; choose one' }];
  }
  return [];
}
