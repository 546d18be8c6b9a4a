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
  createDomainKey,
  createFederation,
  signAs,
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
    const hash = hashCompact(chain.token);
    expect(linkCache.getToken(hash, trust, fed.now(), 5)).toBeUndefined();
    await verifyChain(chain.token, fed.verifyOptions({ trust, linkCache }));
    expect(linkCache.getToken(hash, trust, fed.now(), 5)).toBeDefined();
    expect(linkCache.getToken(hash, trust, fed.now(), 4)).toBeUndefined();
  });

  it('remembers no token with maxTokens 0', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'] });
    const linkCache = new LinkCache({ maxTokens: 0 });
    const trust = fed.trustStore();
    await verifyChain(chain.token, fed.verifyOptions({ trust, linkCache }));
    expect(linkCache.getToken(hashCompact(chain.token), trust, fed.now(), 5)).toBeUndefined();
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
