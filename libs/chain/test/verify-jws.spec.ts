import { createHmac, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  base64url,
  compactVerify,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyCompactJws } from '../src/lib/verify-jws.js';

const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

interface Signer {
  alg: string;
  privateJwk: JWK;
  key: CryptoKey;
}

async function signer(alg: string, crv?: string): Promise<Signer> {
  const pair = await generateKeyPair(alg, { extractable: true, ...(crv ? { crv } : {}) });
  return {
    alg,
    privateJwk: await exportJWK(pair.privateKey),
    key: (await importJWK(await exportJWK(pair.publicKey), alg)) as CryptoKey,
  };
}

const enc = (value: unknown) => base64url.encode(JSON.stringify(value));

function signWith(s: Signer, header: Record<string, unknown>, payload: string): string {
  const input = `${enc(header)}.${payload}`;
  const key = createPrivateKey({ key: s.privateJwk as never, format: 'jwk' });
  const hash = s.alg === 'ES256' ? 'sha256' : s.alg === 'ES384' ? 'sha384' : null;
  const signature = sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** The same JWS with its ECDSA signature's s replaced by n − s (still valid: ECDSA malleability). */
function highS(jws: string): string {
  const [h, p, sig] = jws.split('.');
  const bytes = Buffer.from(sig, 'base64url');
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  const flipped = Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex');
  return `${h}.${p}.${Buffer.concat([bytes.subarray(0, 32), flipped]).toString('base64url')}`;
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    return `refused: ${(error as { code?: string }).code ?? (error as Error).name}`;
  }
}

/** jose's verdict, and verifyCompactJws's in this thread and on the thread pool: all three agree. */
async function expectAgreement(jws: string, key: CryptoKey, algorithms: string[]) {
  const viaJose = await outcome(() => compactVerify(jws, key, { algorithms }));
  const inline = await outcome(() => verifyCompactJws(jws, key, algorithms));
  const onPool = await outcome(() => verifyCompactJws(jws, key, algorithms, { threadPool: true }));
  expect({ inline, onPool }).toEqual({ inline: viaJose, onPool: viaJose });
  return inline;
}

let es256: Signer;
let es384: Signer;
let ed25519: Signer;
let other: Signer;
const payload = enc({ iss: 'https://a.example', sub: 'agent', n: 1 });

beforeAll(async () => {
  es256 = await signer('ES256');
  es384 = await signer('ES384');
  ed25519 = await signer('EdDSA', 'Ed25519');
  other = await signer('ES256');
});

describe('verifyCompactJws agrees with jose compactVerify', () => {
  it('accepts honest ES256, ES384 and EdDSA signatures', async () => {
    for (const s of [es256, es384, ed25519]) {
      const jws = signWith(s, { alg: s.alg, typ: 'JWT' }, payload);
      expect(await expectAgreement(jws, s.key, [s.alg])).toBe('accepted');
    }
  });

  it('on every spec vector token, link and proof (with the keys the vectors publish)', async () => {
    const vectors = JSON.parse(
      readFileSync(
        fileURLToPath(new URL('../../../docs/chain-vectors.json', import.meta.url)),
        'utf8',
      ),
    ) as {
      trust: { jwks: { keys: JWK[] } }[];
      valid: { token: string }[];
      invalid?: { token: string }[];
    };
    const keys = new Map<string, CryptoKey>();
    for (const jwk of vectors.trust.flatMap((t) => t.jwks.keys)) {
      keys.set(jwk.kid ?? '', (await importJWK(jwk, 'ES256')) as CryptoKey);
    }
    let checked = 0;
    for (const vector of [...vectors.valid, ...(vectors.invalid ?? [])]) {
      const jwss = [vector.token, ...linksOf(vector.token)];
      for (const jws of jwss) {
        const key = keys.get(decodeProtectedHeader(jws).kid ?? '');
        if (key !== undefined) {
          await expectAgreement(jws, key, ['ES256']);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  it.each([
    ['alg none', (j: string) => `${enc({ alg: 'none' })}.${j.split('.')[1]}.`],
    ['alg not allowed (HS256 over the public key)', () => hmacToken()],
    ['alg of another curve in the header', () => signWith(es256, { alg: 'ES384' }, payload)],
    ['no alg', () => signWith(es256, { typ: 'JWT' }, payload)],
    ['unknown crit', () => signWith(es256, { alg: 'ES256', crit: ['exp'], exp: 1 }, payload)],
    ['b64 false', () => signWith(es256, { alg: 'ES256', b64: false, crit: ['b64'] }, payload)],
    [
      'b64 true in crit',
      () => signWith(es256, { alg: 'ES256', b64: true, crit: ['b64'] }, payload),
    ],
    ['b64 without crit', () => signWith(es256, { alg: 'ES256', b64: false }, payload)],
    ['empty crit', () => signWith(es256, { alg: 'ES256', crit: [] }, payload)],
    [
      'header not JSON',
      (j: string) => `${base64url.encode('{alg')}.${j.split('.').slice(1).join('.')}`,
    ],
    ['header an array', (j: string) => `${enc(['ES256'])}.${j.split('.').slice(1).join('.')}`],
    [
      'payload changed',
      (j: string) => j.replace(payload, enc({ iss: 'https://a.example', sub: 'admin', n: 1 })),
    ],
    [
      'signature bit flipped',
      (j: string) => `${j.slice(0, -2)}${j.endsWith('A') ? 'B' : 'A'}${j.slice(-1)}`,
    ],
    ['signature truncated', (j: string) => j.slice(0, -4)],
    ['signature extended', (j: string) => `${j}AAAA`],
    ['signature empty', (j: string) => `${j.split('.').slice(0, 2).join('.')}.`],
    ['signature DER-encoded', (j: string) => derSignature(j)],
    ['signature padded', (j: string) => `${j}=`],
    ['signature in base64 (+/)', (j: string) => j.replace(/-/g, '+').replace(/_/g, '/')],
    ['payload with a non-base64url character', (j: string) => j.replace(payload, `${payload}!`)],
    ['four parts', (j: string) => `${j}.AAAA`],
    ['two parts', (j: string) => j.split('.').slice(0, 2).join('.')],
    ['high-S twin of a valid signature', (j: string) => highS(j)],
  ])('%s', async (_name, mutate) => {
    const honest = signWith(es256, { alg: 'ES256' }, payload);
    await expectAgreement(mutate(honest), es256.key, ['ES256']);
  });

  it('on the thread pool, checks started together each get their own verdict', async () => {
    // Each check reuses one signing-input and one signature buffer, rewritten by the next check
    // before the pool has run the last: the verdicts stay right only if each job has its copy.
    const honest = Array.from({ length: 48 }, (_, n) =>
      signWith(es256, { alg: 'ES256' }, enc({ n, pad: 'x'.repeat(n * 7) })),
    );
    const presented = honest.map((jws, n) => {
      if (n % 3 !== 2) {
        return jws;
      }
      // A genuine signature of the previous JWS: valid bytes, wrong signing input.
      const [h, p] = jws.split('.');
      return `${h}.${p}.${honest[n - 1].split('.')[2]}`;
    });
    const verdicts = await Promise.all(
      presented.map((jws) =>
        outcome(() => verifyCompactJws(jws, es256.key, ['ES256'], { threadPool: true })),
      ),
    );
    expect(verdicts).toEqual(
      presented.map((_, n) =>
        n % 3 === 2 ? 'refused: ERR_JWS_SIGNATURE_VERIFICATION_FAILED' : 'accepted',
      ),
    );
  });

  it('a valid signature over a payload that is not base64url, or not ASCII', async () => {
    for (const odd of [`${payload}!`, `${payload}é`]) {
      const jws = signWith(es256, { alg: 'ES256' }, odd);
      expect(await expectAgreement(jws, es256.key, ['ES256'])).toMatch(/^refused/);
    }
  });

  it('signed by another key, or checked against a key of another type', async () => {
    const jws = signWith(other, { alg: 'ES256' }, payload);
    expect(await expectAgreement(jws, es256.key, ['ES256'])).toMatch(/^refused/);
    const ed = signWith(ed25519, { alg: 'EdDSA' }, payload);
    await expectAgreement(ed, es256.key, ['EdDSA']);
    await expectAgreement(ed, ed25519.key, ['ES256']);
    await expectAgreement(signWith(es384, { alg: 'ES384' }, payload), es256.key, ['ES384']);
  });

  it('checked against a key jose refuses for verifying: a private key, an ECDH key of the curve', async () => {
    const jws = signWith(es256, { alg: 'ES256' }, payload);
    const privateKey = (await importJWK(es256.privateJwk, 'ES256')) as CryptoKey;
    expect(await expectAgreement(jws, privateKey, ['ES256'])).toMatch(/^refused/);
    const { x, y, crv, kty } = es256.privateJwk;
    const ecdh = await crypto.subtle.importKey(
      'jwk',
      { kty, crv, x, y },
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      [],
    );
    expect(await expectAgreement(jws, ecdh, ['ES256'])).toMatch(/^refused/);
  });
});

function hmacToken(): string {
  const input = `${enc({ alg: 'HS256' })}.${payload}`;
  const mac = createHmac('sha256', JSON.stringify(es256.privateJwk))
    .update(input)
    .digest('base64url');
  return `${input}.${mac}`;
}

function derSignature(jws: string): string {
  const [h, p, sig] = jws.split('.');
  const raw = Buffer.from(sig, 'base64url');
  const int = (b: Buffer) => {
    const trimmed = b.subarray(b.findIndex((x) => x !== 0));
    const v = trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
  return `${h}.${p}.${Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64url')}`;
}

function linksOf(token: string): string[] {
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
    baton?: { links?: string[] };
  };
  const links = claims.baton?.links ?? [];
  const proofs = links.flatMap((link) => {
    const dpop = (
      JSON.parse(Buffer.from(link.split('.')[1], 'base64url').toString()) as { dpop?: string }
    ).dpop;
    return dpop === undefined ? [] : [dpop];
  });
  return [...links, ...proofs];
}
