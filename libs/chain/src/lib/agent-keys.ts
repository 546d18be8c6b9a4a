import { importJWK, type CryptoKey, type JWK } from 'jose';
import { BoundedMap } from './bounded-map.js';
import { sha256Base64url } from './hash.js';

/** Imported agent keys by RFC 7638 thumbprint and alg: importing costs more than verifying. */
const imported = new BoundedMap<string, CryptoKey>(2048);
/** Thumbprints of frozen JWK objects, and the key last imported from each. */
const thumbprints = new WeakMap<JWK, string>();
const importedFor = new WeakMap<JWK, { alg: string; key: CryptoKey }>();

/** RFC 7638 §3.2: the required members of each key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/**
 * RFC 7638 SHA-256 thumbprint of a public JWK, hashed with node:crypto (WebCrypto's digest costs
 * ~50x more here). Throws for a symmetric or unknown `kty` and for a required member that is
 * missing, empty or not printable ASCII (as jose does).
 */
export function thumbprintOf(jwk: JWK): string {
  // A frozen key (a decoded header shared by every proof of one agent) cannot change its members.
  const known = Object.isFrozen(jwk) ? thumbprints.get(jwk) : undefined;
  if (known !== undefined) {
    return known;
  }
  const thumbprint = computeThumbprint(jwk);
  if (Object.isFrozen(jwk)) {
    thumbprints.set(jwk, thumbprint);
  }
  return thumbprint;
}

function computeThumbprint(jwk: JWK): string {
  const members = typeof jwk.kty === 'string' ? THUMBPRINT_MEMBERS[jwk.kty] : undefined;
  if (members === undefined) {
    throw new TypeError('unsupported JWK key type');
  }
  const required: Record<string, string> = {};
  for (const name of members) {
    const value = (jwk as Record<string, unknown>)[name];
    if (typeof value !== 'string' || !/^[\x20-\x7e]+$/.test(value)) {
      throw new TypeError(`JWK member ${name} missing`);
    }
    required[name] = value;
  }
  // RFC 7638 §3.3: JSON with no whitespace, members in lexicographic order (the order above).
  return sha256Base64url(JSON.stringify(required));
}

/** Imports an embedded public JWK; the thumbprint identifies its public members exactly. */
export async function importAgentKey(jwk: JWK, jkt: string, alg: string): Promise<CryptoKey> {
  // A frozen key (a shared decoded header) finds its import without building the string key.
  const byObject = Object.isFrozen(jwk) ? importedFor.get(jwk) : undefined;
  const known = byObject?.alg === alg ? byObject.key : undefined;
  if (known !== undefined) {
    return known;
  }
  const cacheKey = `${jkt}\u0000${alg}`;
  let key = imported.get(cacheKey);
  if (key === undefined) {
    key = (await importJWK(jwk, alg)) as CryptoKey;
    imported.set(cacheKey, key);
  }
  if (Object.isFrozen(jwk)) {
    importedFor.set(jwk, { alg, key });
  }
  return key;
}
