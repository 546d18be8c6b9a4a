import { PRIVATE_JWK_MEMBERS } from './index.js';

/*
 * What an issuer identifier, an endpoint URL and a JWK Set must be in a trust or broker
 * configuration: one implementation for the chain library's trust configuration and for
 * @baton/config's validators. Each returns why a value is refused, or undefined.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** True for 127.0.0.0/8, ::1 and `localhost`: the only hosts where plain http is accepted. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Why a value is not an acceptable endpoint URL, or undefined when it is: https everywhere,
 * http on loopback hosts only (the demo federation); no credentials, no fragment.
 */
export function endpointUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return 'must be an https URL';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an https URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'must be an https URL (http is accepted only on loopback hosts)';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain credentials';
  }
  if (url.hash !== '' || value.includes('#')) {
    return 'must not contain a fragment';
  }
  return undefined;
}

/**
 * RFC 8414 §2: an issuer identifier has no query or fragment. No trailing slash either: issuers
 * compare as exact strings, so `https://a.example/` would never match `https://a.example`.
 */
export function issuerUrlProblem(value: unknown): string | undefined {
  const problem = endpointUrlProblem(value);
  if (problem !== undefined) {
    return problem;
  }
  const text = value as string;
  if (text.includes('?')) {
    return 'must not contain a query (RFC 8414 §2)';
  }
  return text.endsWith('/') ? 'must not end with a slash' : undefined;
}

/** RFC 7517 §5: a JWK Set of public keys only (a private member is refused, never ignored). */
export function publicJwkSetProblem(value: unknown): string | undefined {
  const keys = isJsonObject(value) ? value['keys'] : undefined;
  if (!Array.isArray(keys)) {
    return 'must be a JWK Set: an object with a "keys" array (RFC 7517 §5)';
  }
  if (keys.length === 0) {
    return 'must contain at least one key';
  }
  for (const [index, key] of keys.entries()) {
    if (!isJsonObject(key) || typeof key['kty'] !== 'string') {
      return `keys[${index}] must be a JWK with a "kty" member (RFC 7517 §4.1)`;
    }
    const secret = PRIVATE_JWK_MEMBERS.find((member) => member in key);
    if (secret !== undefined) {
      return `keys[${index}] must be a public key (it has the private member "${secret}")`;
    }
  }
  return undefined;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
