import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';

/** What a hop's DPoP proof says, read without verifying it (for display only). */
export interface ProofDescription {
  htm?: unknown;
  htu?: unknown;
  iat?: unknown;
  jti?: unknown;
  alg?: unknown;
  /** RFC 7638 thumbprint of the embedded public key. */
  jkt?: string;
  /** Why the proof could not be read, when it could not. */
  unreadable?: string;
}

/** Decode (never verify) the compact DPoP proof a link carries. */
export async function describeProof(compact: unknown): Promise<ProofDescription> {
  if (typeof compact !== 'string') {
    return { unreadable: 'missing' };
  }
  try {
    const header = decodeProtectedHeader(compact);
    const claims = decodeJwt(compact);
    const jkt = header.jwk === undefined ? undefined : await thumbprint(header.jwk);
    return {
      htm: claims['htm'],
      htu: claims['htu'],
      iat: claims.iat,
      jti: claims.jti,
      alg: header.alg,
      ...(jkt ? { jkt } : {}),
    };
  } catch {
    return { unreadable: 'not a decodable JWS' };
  }
}

async function thumbprint(jwk: JWK): Promise<string | undefined> {
  try {
    return await calculateJwkThumbprint(jwk, 'sha256');
  } catch {
    return undefined;
  }
}
