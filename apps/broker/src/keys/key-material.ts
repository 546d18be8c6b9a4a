import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { PRIVATE_JWK_MEMBERS, type DomainSigningAlgorithm } from '@baton/chain/protocol';

export interface GeneratedKey {
  /** RFC 7638 thumbprint (SHA-256) of the public key. */
  kid: string;
  /** The public JWK with kid, alg and use, as published. */
  publicJwk: JWK;
  privateJwk: JWK;
}

/** Generate a fresh key pair for `alg`; kid = RFC 7638 thumbprint. */
export async function generateSigningKey(alg: DomainSigningAlgorithm): Promise<GeneratedKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'PS256' ? { modulusLength: 2048 } : {}),
  });
  const exportedPublic = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exportedPublic, 'sha256');
  return {
    kid,
    publicJwk: publicOnly({ ...exportedPublic, kid, alg, use: 'sig' }),
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
  };
}

/** Import a stored private JWK as a non-extractable signing key. */
export async function importSigningKey(
  privateJwk: JWK,
  alg: DomainSigningAlgorithm,
): Promise<CryptoKey> {
  const key = await importJWK(privateJwk, alg, { extractable: false });
  if (key instanceof Uint8Array) {
    throw new Error('signing key: expected an asymmetric private key');
  }
  return key;
}

/** A copy of `jwk` without any private member (RFC 7517 §4, RFC 7518 §6). */
export function publicOnly(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_JWK_MEMBERS) {
    delete copy[member];
  }
  return copy;
}
