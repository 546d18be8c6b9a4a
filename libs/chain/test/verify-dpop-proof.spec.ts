import { beforeAll, describe, expect, it } from 'vitest';
import { base64url, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { MemoryReplayStore, verifyDpopProof, type VerifyDpopProofOptions } from '@baton/chain';
import { createAgent, type Agent } from './fixtures/federation.js';
import { expectChainError } from './support.js';

const url = 'https://api.example/orders';
const now = 1_750_000_000;
let agent: Agent;
let other: Agent;

beforeAll(async () => {
  agent = await createAgent();
  other = await createAgent();
});

const options = (extra: Partial<VerifyDpopProofOptions> = {}): VerifyDpopProofOptions => ({
  method: 'GET',
  url,
  now,
  ...extra,
});
const proof = (extra: Partial<Parameters<Agent['proof']>[0]> = {}, who: Agent = agent) =>
  who.proof({ method: 'GET', url, iat: now, ...extra });

describe('verifyDpopProof (RFC 9449 §4.3)', () => {
  it('accepts a fresh proof and returns the key thumbprint', async () => {
    const compact = await proof({ accessToken: 'token-value', nonce: 'n1' });
    const result = await verifyDpopProof(
      compact,
      options({ accessToken: 'token-value', expectedJkt: agent.jkt, nonce: (n) => n === 'n1' }),
    );
    expect(result).toMatchObject({
      jkt: agent.jkt,
      htm: 'GET',
      htu: url,
      iat: now,
      nonce: 'n1',
      compact,
    });
    expect(result.jwk).toEqual(agent.publicJwk);
  });

  it.each(['Ed25519', 'EdDSA'] as const)('accepts an Ed25519 proof labelled %s', async (alg) => {
    const ed = await createAgent(alg);
    await expect(
      verifyDpopProof(await proof({}, ed), options({ expectedJkt: ed.jkt })),
    ).resolves.toMatchObject({ jkt: ed.jkt });
  });

  it('normalises htu (scheme and host case, default port, dot segments) and ignores query and fragment', async () => {
    const compact = await proof({ url: 'HTTPS://API.Example:443/x/../orders' });
    await expect(
      verifyDpopProof(compact, options({ url: 'https://api.example/orders?page=2#top' })),
    ).resolves.toBeDefined();
  });

  const rejections: Array<
    [string, () => Promise<string>, Partial<VerifyDpopProofOptions>, string]
  > = [
    ['a proof with the wrong typ', () => proof({ header: { typ: 'jwt' } }), {}, 'typ'],
    [
      'a proof with alg none',
      () =>
        Promise.resolve(
          `${base64url.encode(JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk: agent.publicJwk }))}.${base64url.encode('{}')}.`,
        ),
      {},
      'alg',
    ],
    ['a proof whose alg is not allowed here', () => proof(), { algorithms: ['EdDSA'] }, 'alg'],
    ['an HS256 allow-list entry (never accepted)', () => proof(), { algorithms: ['HS256'] }, 'alg'],
    ['a proof without a jwk header', () => proof({ header: { jwk: undefined } }), {}, 'jwk'],
    [
      'a proof signed by another key than its jwk',
      () => other.proof({ method: 'GET', url, iat: now, header: { jwk: agent.publicJwk } }),
      {},
      'signature',
    ],
    ['a proof missing jti', () => proof({ claims: { jti: undefined } }), {}, 'jti'],
    ['a proof with an overlong jti', () => proof({ jti: 'x'.repeat(300) }), {}, 'jti'],
    ['a proof missing htm', () => proof({ claims: { htm: undefined } }), {}, 'htm'],
    ['a proof missing htu', () => proof({ claims: { htu: undefined } }), {}, 'htu'],
    ['a proof missing iat', () => proof({ claims: { iat: undefined } }), {}, 'iat'],
    ['a proof for another method', () => proof({ method: 'POST' }), {}, 'htm'],
    ['a proof for another URL', () => proof({ url: 'https://api.example/admin' }), {}, 'htu'],
    ['a proof for another host', () => proof({ url: 'https://evil.example/orders' }), {}, 'htu'],
    ['a proof that is too old', () => proof({ iat: now - 200 }), {}, 'iat'],
    ['a proof from the future', () => proof({ iat: now + 120 }), {}, 'iat'],
    [
      'a proof without ath when an access token is presented',
      () => proof(),
      { accessToken: 'token-value' },
      'ath',
    ],
    [
      'a proof whose ath hashes another token',
      () => proof({ accessToken: 'other' }),
      { accessToken: 'token-value' },
      'ath',
    ],
    [
      'a proof by a key the token is not bound to',
      () => proof({}, other),
      { expectedJkt: 'not-this-key' },
      'jkt',
    ],
  ];
  it.each(rejections)('rejects %s', async (_title, make, extra, claim) => {
    const error = await expectChainError(
      async () => verifyDpopProof(await make(), options(extra)),
      'ERR_DPOP_PROOF',
      9,
    );
    expect(error.detail.claim).toBe(claim);
  });

  it.each(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])(
    'rejects a jwk header carrying private member %s',
    async (member) => {
      const compact = await proof({ header: { jwk: { ...agent.publicJwk, [member]: 'AAAA' } } });
      const error = await expectChainError(
        () => verifyDpopProof(compact, options()),
        'ERR_DPOP_PROOF',
        9,
      );
      expect(error.detail).toMatchObject({ claim: 'jwk', actual: member });
    },
  );

  it('rejects a proof signed with an embedded private key whose public half is sent (real key, jwk with d)', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const compact = await new SignJWT({ jti: 'j', htm: 'GET', htu: url, iat: now })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
      .sign(privateKey);
    await expectChainError(() => verifyDpopProof(compact, options()), 'ERR_DPOP_PROOF');
  });

  it('rejects a proof without the server nonce (use_dpop_nonce)', async () => {
    const error = await expectChainError(
      async () => verifyDpopProof(await proof(), options({ nonce: (n) => n === 'expected' })),
      'ERR_DPOP_NONCE',
      9,
    );
    expect(error.detail.claim).toBe('nonce');
  });

  it('rejects a replayed proof, keyed by jkt and jti, and stores it until iat + maxAge + skew', async () => {
    const seen: Array<[string, number]> = [];
    const store = new MemoryReplayStore({ now: () => now });
    const recording = {
      checkAndStore: (key: string, exp: number) => {
        seen.push([key, exp]);
        return store.checkAndStore(key, exp);
      },
    };
    const compact = await proof({ jti: 'once' });
    await verifyDpopProof(compact, options({ replayStore: recording }));
    await expectChainError(
      () => verifyDpopProof(compact, options({ replayStore: recording })),
      'ERR_DPOP_REPLAY',
      9,
    );
    expect(seen[0]).toEqual([`${agent.jkt}:once`, now + 60 + 30]);
  });

  it('does not consume a jti when an earlier check fails', async () => {
    const store = new MemoryReplayStore({ now: () => now });
    const compact = await proof({ jti: 'kept' });
    await expectChainError(
      () => verifyDpopProof(compact, options({ replayStore: store, expectedJkt: 'x' })),
      'ERR_DPOP_PROOF',
    );
    await expect(verifyDpopProof(compact, options({ replayStore: store }))).resolves.toBeDefined();
  });

  it.each([['garbage'], ['a.b.c'], ['x'.repeat(9000)]])(
    'rejects non-JWS input %#',
    async (input) => {
      await expectChainError(() => verifyDpopProof(input, options()), 'ERR_DPOP_PROOF');
    },
  );
});
