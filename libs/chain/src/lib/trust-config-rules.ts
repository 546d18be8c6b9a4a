import { findPrivateMember } from './headers.js';
import { isObject } from './json.js';

/** One problem of a configuration value: where (`issuers[1].issuer`) and what. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

const LOOPBACK = /^(localhost|\[::1\]|127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** https everywhere, http on loopback hosts only; no credentials, no fragment. */
export function endpointUrlProblem(value: unknown): string | undefined {
  let url: URL;
  try {
    url = new URL(value as string);
  } catch {
    return 'must be an https URL';
  }
  if (typeof value !== 'string') {
    return 'must be an https URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    return 'must be an https URL (http is accepted only on loopback hosts)';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain credentials';
  }
  if (value.includes('#')) {
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
  const keys = isObject(value) ? value['keys'] : undefined;
  if (!Array.isArray(keys)) {
    return 'must be a JWK Set: an object with a "keys" array (RFC 7517 §5)';
  }
  if (keys.length === 0) {
    return 'must contain at least one key';
  }
  for (const [index, key] of keys.entries()) {
    if (!isObject(key) || typeof key['kty'] !== 'string') {
      return `keys[${index}] must be a JWK with a "kty" member (RFC 7517 §4.1)`;
    }
    const secret = findPrivateMember(key);
    if (secret !== undefined) {
      return `keys[${index}] must be a public key (it has the private member "${secret}")`;
    }
  }
  return undefined;
}

/** A non-empty list of distinct members of `allowed`; else the problem. */
export function listOfProblem(value: unknown, allowed: readonly string[]): string | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    return `must be a non-empty list of ${allowed.join(', ')}`;
  }
  if (!value.every((item) => typeof item === 'string' && allowed.includes(item))) {
    return `must be among ${allowed.join(', ')}`;
  }
  return new Set(value).size === value.length ? undefined : 'must not repeat a value';
}

/** Members of `value` not in `known`, each as a problem under `path`. */
export function unknownFieldProblems(
  value: Record<string, unknown>,
  known: readonly string[],
  path: string,
): ConfigProblem[] {
  return Object.keys(value)
    .filter((name) => !known.includes(name))
    .map((name) => ({
      path: path === '' ? name : `${path}.${name}`,
      message: 'is not a known field',
    }));
}
