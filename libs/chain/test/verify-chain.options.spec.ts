import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  decodeChain,
  hashCompact,
  LinkCache,
  TrustStore,
  verifyChain,
  type TrustedIssuer,
} from '@baton/chain';
import { ACCESS_TOKEN_TYP, nestAct } from '@baton/chain/protocol';
import {
  agentFromKeys,
  createAgent,
  createDomainKey,
  createFederation,
  signAs,
  type BuiltChain,
  type DomainKey,
  type Federation,
} from './fixtures/federation.js';
import { expectChainError } from './support.js';

let fed: Federation;
let idp: DomainKey;
const IDP = 'https://idp.example';

beforeAll(async () => {
  fed = await createFederation({ domains: ['a', 'b', 'c'], resource: 'https://a.example' });
  idp = await createDomainKey();
});

function originTrust(roles: TrustedIssuer['roles'] = ['origin']): TrustStore {
  return new TrustStore({
    issuers: [
      ...fed.trustedIssuers(),
      { issuer: IDP, roles, keys: { jwks: { keys: [idp.publicJwk] } } },
    ],
  });
}

async function idpToken(extra: Record<string, unknown> = {}): Promise<string> {
  const now = fed.now();
  const claims = {
    iss: IDP,
    sub: 'alice',
    aud: ['https://a.example', 'https://other.example'],
    client_id: 'agent',
    scope: 'read',
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    cnf: { jkt: fed.agent.jkt },
    ...extra,
  };
  return signAs(claims, ACCESS_TOKEN_TYP, idp.key);
}

describe("allowUnchained: an origin issuer's token that starts a chain", () => {
  it('accepts a DPoP-bound RFC 9068 token from an origin issuer with depth 0 and no hops', async () => {
    const result = await verifyChain(
      await idpToken(),
      fed.verifyOptions({ trust: originTrust(), allowUnchained: true }),
    );
    expect(result).toMatchObject({
      depth: 0,
      hops: [],
      links: [],
      subject: 'alice',
      originIssuer: IDP,
      agentKeyThumbprint: fed.agent.jkt,
      scope: ['read'],
    });
  });

  it('refuses an unchained token when the option is not set', async () => {
    await expectChainError(
      async () => verifyChain(await idpToken(), fed.verifyOptions({ trust: originTrust() })),
      'ERR_MALFORMED',
      0,
    );
  });

  it('refuses an unchained token from an issuer without the origin role', async () => {
    await expectChainError(
      async () =>
        verifyChain(
          await idpToken(),
          fed.verifyOptions({ trust: originTrust(['present', 'upstream']), allowUnchained: true }),
        ),
      'ERR_UNTRUSTED_ISSUER',
      1,
    );
  });

  it('refuses an unchained bearer token (no cnf.jkt)', async () => {
    await expectChainError(
      async () =>
        verifyChain(
          await idpToken({ cnf: undefined }),
          fed.verifyOptions({ trust: originTrust(), allowUnchained: true }),
        ),
      'ERR_KEY_BINDING',
      3,
    );
  });

  it('refuses an unchained token for another audience, or expired', async () => {
    await expectChainError(
      async () =>
        verifyChain(
          await idpToken({ aud: 'https://b.example' }),
          fed.verifyOptions({ trust: originTrust(), allowUnchained: true }),
        ),
      'ERR_AUDIENCE',
      2,
    );
    await expectChainError(
      async () =>
        verifyChain(
          await idpToken({ exp: fed.now() - 100 }),
          fed.verifyOptions({ trust: originTrust(), allowUnchained: true }),
        ),
      'ERR_EXPIRED',
      10,
    );
  });

  it('refuses an origin token carrying a chain unless its issuer may present one', async () => {
    const chain = await fed.issueChain({ path: ['b'], audience: 'https://a.example' });
    const trust = new TrustStore({ issuers: fed.trustedIssuers({ roles: ['origin'] }) });
    await expectChainError(
      () => verifyChain(chain.token, fed.verifyOptions({ trust, allowUnchained: true })),
      'ERR_UNTRUSTED_ISSUER',
      1,
    );
  });
});

/** The federation's trust set, except that `issuer` publishes a key nobody signed with. */
async function trustWithAnotherKey(issuer: string): Promise<TrustStore> {
  const otherKey = await createDomainKey();
  return new TrustStore({
    issuers: fed
      .trustedIssuers()
      .map((i) =>
        i.issuer === issuer ? { ...i, keys: { jwks: { keys: [otherKey.publicJwk] } } } : i,
      ),
  });
}

describe('LinkCache', () => {
  it('reuses verified links but still checks revocation and expiry every time', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const linkCache = new LinkCache({ maxEntries: 100 });
    const trust = fed.trustStore();
    await verifyChain(chain.token, fed.verifyOptions({ trust, linkCache }));
    expect(linkCache.size).toBe(3);
    await expect(
      verifyChain(chain.token, fed.verifyOptions({ trust, linkCache })),
    ).resolves.toMatchObject({ depth: 3 });
    await expectChainError(
      () =>
        verifyChain(
          chain.token,
          fed.verifyOptions({ trust, linkCache, isRevoked: (_l, i) => i === 0 }),
        ),
      'ERR_REVOKED',
      10,
    );
    await expectChainError(
      () =>
        verifyChain(chain.token, fed.verifyOptions({ trust, linkCache, now: fed.now() + 10_000 })),
      'ERR_EXPIRED',
      10,
    );
  });

  it('does not let a link verified under one trust store pass under another', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const linkCache = new LinkCache();
    await verifyChain(chain.token, fed.verifyOptions({ linkCache }));
    const trust = await trustWithAnotherKey('https://a.example');
    await expectChainError(
      () => verifyChain(chain.token, fed.verifyOptions({ trust, linkCache })),
      'ERR_SIGNATURE',
      1,
    );
  });

  it("remembers a token's own signature only for the trust store it verified under", async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const linkCache = new LinkCache();
    await verifyChain(chain.token, fed.verifyOptions({ linkCache }));
    const trust = await trustWithAnotherKey('https://c.example');
    const error = await expectChainError(
      () => verifyChain(chain.token, fed.verifyOptions({ trust, linkCache })),
      'ERR_SIGNATURE',
      1,
    );
    // The token's own signature failed, before any link's.
    expect(error.detail.link).toBeUndefined();
  });

  it('does not remember the signature of a token whose chain was refused', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const linkCache = new LinkCache();
    const trust = fed.trustStore();
    await expectChainError(
      () =>
        verifyChain(chain.token, fed.verifyOptions({ trust, linkCache, now: fed.now() + 10_000 })),
      'ERR_EXPIRED',
      10,
    );
    expect(linkCache.getToken(chain.token, trust, fed.now(), 5)).toBeUndefined();
    await verifyChain(chain.token, fed.verifyOptions({ trust, linkCache }));
    expect(linkCache.getToken(chain.token, trust, fed.now(), 5)).toMatchObject({
      hash: hashCompact(chain.token),
    });
    expect(linkCache.getToken(chain.token, trust, fed.now(), 4)).toBeUndefined();
  });

  it('does not recall a remembered token for another token that carries its signature', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const linkCache = new LinkCache();
    const trust = fed.trustStore();
    await verifyChain(chain.token, fed.verifyOptions({ trust, linkCache }));
    const [, payload, signature] = chain.token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt' })).toString(
      'base64url',
    );
    const forged = [header, payload, signature].join('.');
    expect(linkCache.getToken(forged, trust, fed.now(), 5)).toBeUndefined();
    await expectChainError(
      () => verifyChain(forged, fed.verifyOptions({ trust, linkCache })),
      'ERR_SIGNATURE',
      1,
    );
    expect(linkCache.getToken(chain.token, trust, fed.now(), 5)).toMatchObject({
      hash: hashCompact(chain.token),
    });
  });

  it('remembers no token with maxTokens 0', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const linkCache = new LinkCache({ maxTokens: 0 });
    const trust = fed.trustStore();
    await verifyChain(chain.token, fed.verifyOptions({ trust, linkCache }));
    expect(linkCache.getToken(chain.token, trust, fed.now(), 5)).toBeUndefined();
    expect(linkCache.size).toBe(3);
  });

  it('hands out copies: a caller changing its result changes nothing remembered', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const linkCache = new LinkCache();
    const trust = fed.trustStore();
    const options = fed.verifyOptions({ trust, linkCache });
    await verifyChain(chain.token, options);
    const first = await verifyChain(chain.token, options);
    first.links[0].scope = 'admin';
    first.links[2].cnf.jkt = 'someone-else';
    first.claims.cnf.jkt = 'someone-else';
    const second = await verifyChain(chain.token, options);
    expect(second.links[0].scope).toBe(chain.linkClaims[0].scope);
    expect(second.claims.cnf.jkt).toBe(second.agentKeyThumbprint);
    expect(second.links[2].cnf.jkt).toBe(second.agentKeyThumbprint);
  });

  describe('rememberSignature (a broker recalling what it signed and checked)', () => {
    /** A chain whose token and link 0 were signed with a key that only borrows a's `kid`. */
    async function impostorChain(): Promise<BuiltChain> {
      const impostor = await createDomainKey();
      const key = { ...impostor.key, kid: fed.domains['a'].key.kid };
      return fed.issueChain({
        path: ['a'],
        tamper: { linkKey: () => key, tokenKey: () => key },
      });
    }

    function remember(linkCache: LinkCache, chain: BuiltChain, issuer = 'https://a.example') {
      linkCache.rememberSignature(hashCompact(chain.token), issuer, fed.now());
      linkCache.rememberSignature(hashCompact(chain.links[0]), issuer, fed.now());
    }

    it('skips only the signature arithmetic of what it was told, for its TTL', async () => {
      // The caller vouches for the bytes, so a bad signature passes: this is what is skipped.
      const chain = await impostorChain();
      const linkCache = new LinkCache({ ttlSeconds: 60 });
      const trust = fed.trustStore();
      await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ trust, linkCache })),
        'ERR_SIGNATURE',
        1,
      );
      remember(linkCache, chain);
      await expect(
        verifyChain(chain.token, fed.verifyOptions({ trust, linkCache })),
      ).resolves.toMatchObject({ depth: 1 });
      await expectChainError(
        () =>
          verifyChain(chain.token, fed.verifyOptions({ trust, linkCache, now: fed.now() + 61 })),
        'ERR_SIGNATURE',
        1,
      );
    });

    it('checks the link alone when only the token was remembered, and the other way round', async () => {
      const chain = await impostorChain();
      const trust = fed.trustStore();
      const tokenOnly = new LinkCache();
      tokenOnly.rememberSignature(hashCompact(chain.token), 'https://a.example', fed.now());
      const linkError = await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ trust, linkCache: tokenOnly })),
        'ERR_SIGNATURE',
        1,
      );
      expect(linkError.detail.link).toBe(0);
      const linkOnly = new LinkCache();
      linkOnly.rememberSignature(hashCompact(chain.links[0]), 'https://a.example', fed.now());
      const tokenError = await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ trust, linkCache: linkOnly })),
        'ERR_SIGNATURE',
        1,
      );
      expect(tokenError.detail.link).toBeUndefined();
    });

    it('holds a remembered signature to the issuer it was remembered for', async () => {
      const chain = await impostorChain();
      const linkCache = new LinkCache();
      remember(linkCache, chain, 'https://b.example');
      await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ linkCache })),
        'ERR_SIGNATURE',
        1,
      );
    });

    it("still refuses when the issuer has withdrawn the signature's key", async () => {
      const chain = await fed.issueChain({ path: ['a'] });
      const linkCache = new LinkCache();
      remember(linkCache, chain);
      const trust = await trustWithAnotherKey('https://a.example');
      await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ trust, linkCache })),
        'ERR_SIGNATURE',
        1,
      );
    });

    it('still refuses an issuer not trusted in its role', async () => {
      const chain = await fed.issueChain({ path: ['a'] });
      const linkCache = new LinkCache();
      remember(linkCache, chain);
      const trust = new TrustStore({
        issuers: fed
          .trustedIssuers()
          .map((i) => (i.issuer === 'https://a.example' ? { ...i, roles: ['upstream'] } : i)),
      });
      await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ trust, linkCache })),
        'ERR_UNTRUSTED_ISSUER',
        1,
      );
    });

    /** A chain whose link 0 carries a proof with the agent's `jwk` but another key's signature. */
    async function impostorProofChain(): Promise<BuiltChain> {
      const stranger = await createAgent();
      const impostor = await agentFromKeys(stranger.privateKey, fed.agent.publicJwk, 'ES256');
      return fed.issueChain({ path: ['a'], tamper: { proofAgent: () => impostor } });
    }

    const proofOf = (chain: BuiltChain) => decodeChain(chain.token).links[0].claims.dpop;

    it("skips only a remembered hop proof's key import and arithmetic, for its TTL", async () => {
      const chain = await impostorProofChain();
      const linkCache = new LinkCache({ ttlSeconds: 60 });
      const trust = fed.trustStore();
      await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ trust, linkCache })),
        'ERR_HOP_PROOF',
        4,
      );
      linkCache.rememberSignature(hashCompact(proofOf(chain)), fed.agent.jkt, fed.now());
      await expect(
        verifyChain(chain.token, fed.verifyOptions({ trust, linkCache })),
      ).resolves.toMatchObject({ depth: 1 });
      const later = await expectChainError(
        () =>
          verifyChain(chain.token, fed.verifyOptions({ trust, linkCache, now: fed.now() + 61 })),
        'ERR_HOP_PROOF',
        4,
      );
      expect(later.detail.claim).toBe('signature');
    });

    it('holds a remembered proof to the key thumbprint it was remembered for', async () => {
      const chain = await impostorProofChain();
      const linkCache = new LinkCache();
      const stranger = await createAgent();
      linkCache.rememberSignature(hashCompact(proofOf(chain)), stranger.jkt, fed.now());
      await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ linkCache })),
        'ERR_HOP_PROOF',
        4,
      );
    });

    it('still applies every other hop-proof check to a remembered proof', async () => {
      // The proof is good but made for another endpoint than the link's issuer's.
      const chain = await fed.issueChain({
        path: ['a'],
        tamper: {
          proofClaims: (_i, claims) => void (claims['htu'] = 'https://elsewhere.example/token'),
        },
      });
      const linkCache = new LinkCache();
      linkCache.rememberSignature(hashCompact(proofOf(chain)), fed.agent.jkt, fed.now());
      const error = await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ linkCache })),
        'ERR_HOP_PROOF',
        4,
      );
      expect(error.detail.claim).toBe('htu');
    });

    it("verifies the remembered link's hop proof", async () => {
      const stranger = await createAgent();
      const chain = await fed.issueChain({
        path: ['a'],
        tamper: { proofAgent: () => stranger },
      });
      const linkCache = new LinkCache();
      remember(linkCache, chain);
      await expectChainError(
        () => verifyChain(chain.token, fed.verifyOptions({ linkCache })),
        'ERR_HOP_PROOF',
        4,
      );
    });
  });

  it('forgets the least recently used entries beyond its bound', async () => {
    const linkCache = new LinkCache({ maxEntries: 2 });
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    await verifyChain(chain.token, fed.verifyOptions({ linkCache }));
    expect(linkCache.size).toBe(2);
  });
});

describe('decodeChain (no verification)', () => {
  it('decodes header, claims and every link with its hash', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b'] });
    const decoded = decodeChain(chain.token);
    expect(decoded.header['typ']).toBe('at+jwt');
    expect(decoded.links.map((l) => l.claims.iss)).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(decoded.links[0].hash).toBe(hashCompact(chain.links[0]));
    expect(decoded.links[1].claims.prev).toBe(decoded.links[0].hash);
  });

  it.each([[''], ['garbage'], ['a.b.c'], ['eyJ9.eyJ9.AA'], [`x.${'A'.repeat(100)}.y`]])(
    'throws MalformedChainError on garbage %#',
    (input) => {
      expect(() => decodeChain(input)).toThrow(expect.objectContaining({ code: 'ERR_MALFORMED' }));
    },
  );

  it('throws MalformedChainError on a token whose links are garbage', async () => {
    const chain = await fed.issueChain({
      path: ['a'],
      tamper: {
        tokenClaims: (_i, c) => {
          c.baton.links = ['not-a-link'];
        },
      },
    });
    expect(() => decodeChain(chain.token)).toThrow(
      expect.objectContaining({ code: 'ERR_MALFORMED', detail: { link: 0 } }),
    );
  });
});

describe('issuance helpers', () => {
  it('nestAct puts the newest hop outermost', () => {
    const one = nestAct(undefined, { iss: 'A', sub: 'x' });
    expect(nestAct(one, { iss: 'B', sub: 'y' })).toEqual({
      iss: 'B',
      sub: 'y',
      act: { iss: 'A', sub: 'x' },
    });
    expect(one).toEqual({ iss: 'A', sub: 'x' });
  });

  it('hashCompact is base64url SHA-256 of the ASCII string', () => {
    expect(hashCompact('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});
