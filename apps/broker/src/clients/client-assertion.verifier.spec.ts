import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import {
  CompactSign,
  createLocalJWKSet,
  errors,
  exportJWK,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
  type JWK,
  type JWTPayload,
} from 'jose';
import { describe, expect, it } from 'vitest';
import type { ClientConfig } from '../config/broker-config.js';
import { CLIENT_ASSERTION_ALGORITHMS } from '../discovery/authorization-server-metadata.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { verifyClientAssertion } from './client-assertion.verifier.js';

const NOW = 1_800_000_000;
const SKEW = 5;
const AUDIENCES = ['https://a.example', 'https://a.example/token'];
const CLIENT_ID = 'agent';

interface Signer {
  readonly alg: string;
  readonly privateKey: Parameters<SignJWT['sign']>[0];
  readonly jwk: JWK;
}

async function signer(alg: string, kid: string): Promise<Signer> {
  const pair =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : alg === 'PS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: alg === 'ES384' ? 'P-384' : 'P-256' });
  return {
    alg,
    privateKey: pair.privateKey,
    jwk: { ...(await exportJWK(pair.publicKey)), kid, alg },
  };
}

const es256 = await signer('ES256', 'k-es256');
const es384 = await signer('ES384', 'k-es384');
const eddsa = await signer('EdDSA', 'k-eddsa');
const ps256 = await signer('PS256', 'k-ps256');
/** Not registered, but claims a registered kid. */
const impostor = { ...(await signer('ES256', 'k-es256')), jwk: es256.jwk };

const client = {
  clientId: CLIENT_ID,
  authMethod: 'private_key_jwt',
  jwks: { keys: [es256.jwk, es384.jwk, eddsa.jwk, ps256.jwk] },
} as unknown as ClientConfig;

function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  const base: Record<string, unknown> = {
    iss: CLIENT_ID,
    sub: CLIENT_ID,
    aud: AUDIENCES[1],
    iat: NOW - 10,
    exp: NOW + 60,
    jti: 'jti-1',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter(([, value]) => value !== undefined));
}

function sign(
  by: Signer,
  payload: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: by.alg, kid: by.jwk.kid, ...header })
    .sign(by.privateKey);
}

/** The same question asked of jose's `jwtVerify` alone: its verdict and error code. */
async function joseVerdict(assertion: string): Promise<string> {
  try {
    await jwtVerify(
      assertion,
      createLocalJWKSet({ keys: [es256.jwk, es384.jwk, eddsa.jwk, ps256.jwk] }),
      {
        algorithms: [...CLIENT_ASSERTION_ALGORITHMS, 'Ed25519'],
        issuer: CLIENT_ID,
        subject: CLIENT_ID,
        audience: AUDIENCES,
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(NOW * 1000),
        clockTolerance: SKEW,
      },
    );
    return 'accepted';
  } catch (error) {
    return error instanceof errors.JOSEError ? error.code : String(error);
  }
}

async function batonVerdict(assertion: string): Promise<string> {
  try {
    await verifyClientAssertion(assertion, client, {
      audiences: AUDIENCES,
      now: NOW,
      clockSkew: SKEW,
    });
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).error).toBe('invalid_client');
    const cause = (error as OAuthError).cause;
    return cause instanceof errors.JOSEError ? cause.code : String((error as OAuthError).detail);
  }
}

/** A header jose will not sign with (an unknown `crit`): signed here, ES256 as RFC 7518 §3.4 says. */
function signRaw(header: Record<string, unknown>, payloadSegment: string): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payloadSegment}`;
  const signature = nodeSign('sha256', Buffer.from(input), {
    key: es256.privateKey as KeyObject,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}
const encoded = (payload: JWTPayload) => Buffer.from(JSON.stringify(payload)).toString('base64url');

const tamper = (compact: string) => {
  const [header, , signature] = compact.split('.');
  const payload = Buffer.from(JSON.stringify(claims({ sub: 'someone-else' }))).toString(
    'base64url',
  );
  return `${header}.${payload}.${signature}`;
};

const cases: [string, () => Promise<string>, string][] = [
  ['ES256', () => sign(es256, claims()), 'accepted'],
  ['ES384', () => sign(es384, claims()), 'accepted'],
  ['EdDSA', () => sign(eddsa, claims()), 'accepted'],
  ['PS256 (jose verifies it whole)', () => sign(ps256, claims()), 'accepted'],
  [
    'aud as an array naming this server',
    () => sign(es256, claims({ aud: ['x', AUDIENCES[0]] })),
    'accepted',
  ],
  ['exp passed, within the skew', () => sign(es256, claims({ exp: NOW - SKEW + 1 })), 'accepted'],
  ['nbf ahead, within the skew', () => sign(es256, claims({ nbf: NOW + SKEW })), 'accepted'],
  ['no iat', () => sign(es256, claims({ iat: undefined })), 'accepted'],
  [
    'signed by another key under a registered kid',
    () => sign(impostor, claims()),
    'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  ],
  [
    'payload changed after signing',
    async () => tamper(await sign(es256, claims())),
    'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  ],
  ['an unknown kid', () => sign(es256, claims(), { kid: 'k-unknown' }), 'ERR_JWKS_NO_MATCHING_KEY'],
  [
    'alg none',
    () => Promise.resolve(new UnsecuredJWT(claims()).encode()),
    'ERR_JOSE_ALG_NOT_ALLOWED',
  ],
  [
    'HS256',
    () =>
      new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'k-es256' })
        .sign(new TextEncoder().encode(JSON.stringify(es256.jwk))),
    'ERR_JOSE_ALG_NOT_ALLOWED',
  ],
  [
    'an unknown crit parameter',
    () =>
      Promise.resolve(
        signRaw({ alg: 'ES256', kid: 'k-es256', crit: ['urn:x'], 'urn:x': 1 }, encoded(claims())),
      ),
    'ERR_JOSE_NOT_SUPPORTED',
  ],
  [
    'an unencoded payload (b64: false)',
    () =>
      Promise.resolve(
        signRaw({ alg: 'ES256', kid: 'k-es256', crit: ['b64'], b64: false }, '{"iss":"agent"}'),
      ),
    'ERR_JWT_INVALID',
  ],
  ['no iss', () => sign(es256, claims({ iss: undefined })), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ['no sub', () => sign(es256, claims({ sub: undefined })), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ['no aud', () => sign(es256, claims({ aud: undefined })), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ['no jti', () => sign(es256, claims({ jti: undefined })), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ['no exp', () => sign(es256, claims({ exp: undefined })), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  [
    'iss another client',
    () => sign(es256, claims({ iss: 'other' })),
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
  ],
  [
    'sub another client',
    () => sign(es256, claims({ sub: 'other' })),
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
  ],
  [
    'aud another server',
    () => sign(es256, claims({ aud: 'https://b.example' })),
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
  ],
  [
    'aud an array without this server',
    () => sign(es256, claims({ aud: ['https://b.example'] })),
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
  ],
  ['aud a number', () => sign(es256, claims({ aud: 7 })), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ['exp passed beyond the skew', () => sign(es256, claims({ exp: NOW - SKEW })), 'ERR_JWT_EXPIRED'],
  [
    'nbf ahead beyond the skew',
    () => sign(es256, claims({ nbf: NOW + SKEW + 1 })),
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
  ],
  [
    'exp a string',
    () => sign(es256, claims({ exp: String(NOW + 60) })),
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
  ],
  ['iat a string', () => sign(es256, claims({ iat: 'now' })), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  [
    'claims an array',
    () =>
      new CompactSign(new TextEncoder().encode('[1]'))
        .setProtectedHeader({ alg: 'ES256', kid: 'k-es256' })
        .sign(es256.privateKey),
    'ERR_JWT_INVALID',
  ],
  [
    'claims not JSON',
    () =>
      new CompactSign(new TextEncoder().encode('not json'))
        .setProtectedHeader({ alg: 'ES256', kid: 'k-es256' })
        .sign(es256.privateKey),
    'ERR_JWT_INVALID',
  ],
  [
    'two parts',
    async () => (await sign(es256, claims())).split('.').slice(0, 2).join('.'),
    'ERR_JWS_INVALID',
  ],
  ['four parts', async () => `${await sign(es256, claims())}.x`, 'ERR_JWS_INVALID'],
  ['not a JWT at all', () => Promise.resolve('garbage'), 'ERR_JWS_INVALID'],
];

describe('client assertion verification (RFC 7523 §3) against jose’s jwtVerify', () => {
  it.each(cases)('%s: %s', async (_name, make, expected) => {
    const assertion = await make();
    expect({ baton: await batonVerdict(assertion), jose: await joseVerdict(assertion) }).toEqual({
      baton: expected,
      jose: expected,
    });
  });

  it('refuses what jose accepts only for RFC 7523’s own rules: a missing or long jti, a long lifetime', async () => {
    for (const assertion of [
      await sign(es256, claims({ jti: '' })),
      await sign(es256, claims({ jti: 'j'.repeat(257) })),
      await sign(es256, claims({ iat: NOW, exp: NOW + 301 + SKEW })),
    ]) {
      expect(await joseVerdict(assertion)).toBe('accepted');
      expect(await batonVerdict(assertion)).toMatch(
        /^client assertion: (jti missing|lifetime too long)$/,
      );
    }
  });
});
