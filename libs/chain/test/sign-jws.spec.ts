import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  compactVerify,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type KeyObject,
} from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { useNodeSignatures } from '../src/lib/node-signatures.js';
import { signCompactJws, type SigningHeader } from '../src/issue/sign-jws.js';

const payload = JSON.stringify({ iss: 'https://a.example', sub: 'agent', note: 'naïve ✓', n: 1 });

async function pair(alg: string, crv?: string) {
  const keys = await generateKeyPair(alg, { extractable: true, ...(crv ? { crv } : {}) });
  return { alg, privateKey: keys.privateKey, publicKey: keys.publicKey };
}

/** The outcome of signing on one path: the compact JWS, or the refusal's class and message. */
async function signOn(
  node: boolean,
  header: SigningHeader,
  key: CryptoKey | KeyObject,
): Promise<{ jws?: string; refused?: string }> {
  useNodeSignatures(node);
  try {
    return { jws: await signCompactJws(payload, header, key) };
  } catch (error) {
    return { refused: `${(error as Error).name}: ${(error as Error).message}` };
  } finally {
    useNodeSignatures(true);
  }
}

afterEach(() => useNodeSignatures(true));

describe('signCompactJws makes what jose CompactSign makes', () => {
  it.each([
    ['ES256', undefined],
    ['ES384', undefined],
    ['EdDSA', 'Ed25519'],
    ['PS256', undefined],
  ])(
    '%s: the same header and payload segments, and both signatures verify with jose',
    async (alg, crv) => {
      const { privateKey, publicKey } = await pair(alg, crv);
      const header = { alg, typ: 'baton-link+jwt', kid: 'k1' };
      const viaNode = await signOn(true, header, privateKey);
      const viaJose = await signOn(false, header, privateKey);
      const [h1, p1, s1] = viaNode.jws!.split('.');
      const [h2, p2, s2] = viaJose.jws!.split('.');
      expect([h1, p1]).toEqual([h2, p2]);
      expect(Buffer.from(s1, 'base64url').length).toBe(Buffer.from(s2, 'base64url').length);
      for (const jws of [viaNode.jws!, viaJose.jws!]) {
        const verified = await compactVerify(jws, publicKey, { algorithms: [alg] });
        expect(verified.protectedHeader).toEqual(header);
        expect(new TextDecoder().decode(verified.payload)).toBe(payload);
      }
    },
  );

  it('takes a node:crypto KeyObject as jose does', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const header = { alg: 'ES256', typ: 'at+jwt', kid: 'k2' };
    const viaNode = await signOn(true, header, privateKey);
    const viaJose = await signOn(false, header, privateKey);
    for (const jws of [viaNode.jws!, viaJose.jws!]) {
      await expect(compactVerify(jws, publicKey, { algorithms: ['ES256'] })).resolves.toBeDefined();
    }
  });

  it('refuses, in jose words on both paths, a key that does not fit the algorithm', async () => {
    const es256 = await pair('ES256');
    const es384 = await pair('ES384');
    const ed = await pair('EdDSA', 'Ed25519');
    const verifyOnly = (await importJWK(await exportJWK(es256.publicKey), 'ES256')) as CryptoKey;
    const ecdh = (
      await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits'])
    ).privateKey;
    const p384KeyObject = createPrivateKey({
      key: (await exportJWK(es384.privateKey)) as never,
      format: 'jwk',
    });
    const cases: [string, CryptoKey | KeyObject][] = [
      ['ES256', es384.privateKey],
      ['ES256', ed.privateKey],
      ['EdDSA', es256.privateKey],
      ['ES256', verifyOnly],
      ['ES256', ecdh],
      ['ES256', p384KeyObject],
    ];
    for (const [alg, key] of cases) {
      const header = { alg, typ: 'JWT', kid: 'k' };
      const viaNode = await signOn(true, header, key);
      const viaJose = await signOn(false, header, key);
      expect(viaNode.refused, `${alg}`).toBeDefined();
      expect(viaNode).toEqual(viaJose);
    }
  });
});
