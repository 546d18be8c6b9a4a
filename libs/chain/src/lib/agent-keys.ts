import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';
import { BoundedMap } from './bounded-map.js';

/** Imported agent keys by RFC 7638 thumbprint and alg: importing costs more than verifying. */
const imported = new BoundedMap<string, CryptoKey>(2048);

export function thumbprintOf(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/** Imports an embedded public JWK; the thumbprint identifies its public members exactly. */
export async function importAgentKey(jwk: JWK, jkt: string, alg: string): Promise<CryptoKey> {
  const cacheKey = `${jkt}\u0000${alg}`;
  const cached = imported.get(cacheKey);
  if (cached !== undefined) {
    return cached;
  }
  const key = (await importJWK(jwk, alg)) as CryptoKey;
  imported.set(cacheKey, key);
  return key;
}
