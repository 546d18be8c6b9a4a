import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/** An ES256 key for the load generator: signing through node:crypto keeps the client cheap. */
export interface Es256Key {
  privateKey: KeyObject;
  publicJwk: { kty: string; crv: string; x: string; y: string };
  /** RFC 7638 thumbprint, also used as `kid`. */
  jkt: string;
}

export function createEs256Key(): Es256Key {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { crv, kty, x, y } = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const publicJwk = { crv, kty, x, y };
  const jkt = createHash('sha256').update(JSON.stringify(publicJwk)).digest('base64url');
  return { privateKey, publicJwk, jkt };
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function signEs256(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: Es256Key,
): string {
  const input = `${encode({ alg: 'ES256', ...header })}.${encode(payload)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

/** RFC 9449 §4.2 proof for one request; `ath` when an access token is presented. */
export function dpopProof(key: Es256Key, htm: string, htu: string, accessToken?: string): string {
  const payload: Record<string, unknown> = {
    jti: randomUUID(),
    htm,
    htu,
    iat: Math.floor(Date.now() / 1000),
  };
  if (accessToken !== undefined) {
    payload['ath'] = createHash('sha256').update(accessToken).digest('base64url');
  }
  return signEs256({ typ: 'dpop+jwt', jwk: key.publicJwk }, payload, key);
}

/** RFC 7523 §3 client assertion. */
export function clientAssertion(key: Es256Key, clientId: string, audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signEs256(
    { kid: key.jkt },
    { iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60, jti: randomUUID() },
    key,
  );
}
