import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { thumbprintOf } from '../src/lib/agent-keys.js';

async function publicJwk(alg: string, options: { crv?: string } = {}): Promise<JWK> {
  const { publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  return exportJWK(publicKey);
}

describe('thumbprintOf (node:crypto)', () => {
  it.each([
    ['ES256', {}],
    ['ES384', {}],
    ['EdDSA', { crv: 'Ed25519' }],
    ['PS256', {}],
  ])('equals jose calculateJwkThumbprint for a %s key', async (alg, options) => {
    const jwk = { ...(await publicJwk(alg, options)), alg, use: 'sig', kid: 'ignored' };
    expect(thumbprintOf(jwk)).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
  });

  it.each([
    [{ kty: 'EC', crv: 'P-256', x: 'AA' }, 'a missing member'],
    [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 1 }, 'a non-string member'],
    [{ kty: 'EC', crv: 'P-256', x: '', y: 'AA' }, 'an empty member'],
    [{ kty: 'EC', crv: 'P-256', x: 'ä', y: 'AA' }, 'a non-ASCII member'],
    [{ crv: 'P-256', x: 'AA', y: 'AA' }, 'no kty'],
  ])('refuses %j (%s), as jose does', async (jwk, _why) => {
    expect(() => thumbprintOf(jwk as JWK)).toThrow(TypeError);
    await expect(calculateJwkThumbprint(jwk as JWK, 'sha256')).rejects.toThrow();
  });

  it('refuses a symmetric key, which jose would hash (a DPoP key is never one)', () => {
    expect(() => thumbprintOf({ kty: 'oct', k: 'AA' })).toThrow(TypeError);
  });
});
