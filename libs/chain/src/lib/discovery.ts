import type { JSONWebKeySet } from 'jose';
import { isNonEmptyString, isObject, type JsonObject } from './json.js';

/**
 * RFC 8414 §3: the metadata URL inserts `/.well-known/oauth-authorization-server` between the
 * issuer's host component and its path component (a trailing `/` of the issuer is dropped).
 */
export function authorizationServerMetadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

export interface DiscoveredMetadata {
  jwksUri: string;
  tokenEndpoint?: string;
}

/** Validates fetched metadata; throws a plain Error naming the bad member. */
export function readMetadata(issuer: string, metadata: JsonObject): DiscoveredMetadata {
  // RFC 8414 §3.3: the issuer in the metadata must be identical to the one the URL was built from.
  if (metadata['issuer'] !== issuer) {
    throw new Error('metadata issuer does not match the configured issuer');
  }
  const jwksUri = metadata['jwks_uri'];
  if (!isNonEmptyString(jwksUri) || !isHttpUrl(jwksUri)) {
    throw new Error('metadata jwks_uri is missing or not an http(s) URL');
  }
  const tokenEndpoint = metadata['token_endpoint'];
  if (
    tokenEndpoint !== undefined &&
    (!isNonEmptyString(tokenEndpoint) || !isHttpUrl(tokenEndpoint))
  ) {
    throw new Error('metadata token_endpoint is not an http(s) URL');
  }
  return tokenEndpoint === undefined ? { jwksUri } : { jwksUri, tokenEndpoint };
}

/** RFC 7517 §5: a JWK Set is an object with a `keys` array of objects. */
export function readJwks(value: JsonObject): JSONWebKeySet {
  const keys = value['keys'];
  if (!Array.isArray(keys) || !keys.every(isObject)) {
    throw new Error('JWKS has no keys array');
  }
  return { keys: keys };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
