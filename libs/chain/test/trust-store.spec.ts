import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, verifyChain, type KeySourceEvent, type TrustedIssuer } from '@baton/chain';
import {
  createDomainKey,
  createFederation,
  resignToken,
  type BuiltChain,
  type Federation,
} from './fixtures/federation.js';
import { startKeyServer, type KeyServer } from './fixtures/key-server.js';
import { expectChainError } from './support.js';

let server: KeyServer;
let fed: Federation;
let chain: BuiltChain;

beforeAll(async () => {
  server = await startKeyServer();
  fed = await createFederation({
    domains: ['a', 'b'],
    issuers: { a: server.issuerFor('a'), b: server.issuerFor('b') },
  });
  server.publish('a', fed.domains['a'].jwks);
  server.publish('b', fed.domains['b'].jwks);
  chain = await fed.issueChain({ path: ['a', 'b'] });
});

afterAll(() => server.close());

function discoveringStore(
  extra: Partial<ConstructorParameters<typeof TrustStore>[0]> = {},
): TrustStore {
  return new TrustStore({
    issuers: ['a', 'b'].map((n): TrustedIssuer => ({
      issuer: fed.domains[n].issuer,
      keys: { discover: true },
    })),
    ...extra,
  });
}

describe('TrustStore with RFC 8414 discovery over real HTTP', () => {
  it('discovers metadata at the path-inserted well-known URL, then JWKS and token endpoint, and caches them', async () => {
    const before = server.hits('/.well-known/oauth-authorization-server/a');
    const trust = discoveringStore();
    await verifyChain(chain.token, fed.verifyOptions({ trust }));
    await verifyChain(chain.token, fed.verifyOptions({ trust }));
    expect(server.hits('/.well-known/oauth-authorization-server/a') - before).toBe(1);
    await expect(trust.getTokenEndpoint(fed.domains['a'].issuer)).resolves.toBe(
      `${server.issuerFor('a')}/token`,
    );
  });

  it('reports each discovered-key fetch and cache hit to onKeySourceEvent, and a failed fetch', async () => {
    const events: KeySourceEvent[] = [];
    const trust = discoveringStore({ onKeySourceEvent: (event) => events.push(event) });
    await verifyChain(chain.token, fed.verifyOptions({ trust }));
    await verifyChain(chain.token, fed.verifyOptions({ trust }));
    const a = fed.domains['a'].issuer;
    expect(events.filter((e) => e.issuer === a).map((e) => e.outcome)).toContain('fetched');
    expect(events.filter((e) => e.outcome === 'fetched')).toHaveLength(2);
    expect(events.some((e) => e.outcome === 'cache-hit' && e.resource === 'jwks')).toBe(true);

    const failing: KeySourceEvent[] = [];
    const down = new TrustStore({
      issuers: [{ issuer: a, keys: { discover: true } }],
      fetch: () => Promise.reject(new Error('connection refused')),
      onKeySourceEvent: (event) => {
        failing.push(event);
        throw new Error('a throwing observer changes nothing');
      },
    });
    await expect(down.getTokenEndpoint(a)).rejects.toMatchObject({ code: 'ERR_KEYS_UNAVAILABLE' });
    expect(failing).toEqual([{ resource: 'jwks', outcome: 'fetch-failed', issuer: a }]);
  });

  it('answers an unknown kid with exactly one refetch, then a cooldown, then one more after it', async () => {
    let clock = 1_000;
    const trust = discoveringStore({ now: () => clock, refetchCooldownSeconds: 30 });
    await verifyChain(chain.token, fed.verifyOptions({ trust }));
    const base = server.hits('/b/jwks');
    const rogue = await createDomainKey();
    const forged = await resignToken(chain.token, () => undefined, rogue.key);
    await expectChainError(
      () => verifyChain(forged, fed.verifyOptions({ trust })),
      'ERR_SIGNATURE',
      1,
    );
    expect(server.hits('/b/jwks')).toBe(base + 1);
    for (let i = 0; i < 5; i++) {
      await expectChainError(
        () => verifyChain(forged, fed.verifyOptions({ trust })),
        'ERR_SIGNATURE',
        1,
      );
    }
    expect(server.hits('/b/jwks')).toBe(base + 1);
    clock += 31;
    await expectChainError(
      () => verifyChain(forged, fed.verifyOptions({ trust })),
      'ERR_SIGNATURE',
      1,
    );
    expect(server.hits('/b/jwks')).toBe(base + 2);
  });

  it('picks up a rotated key through the unknown-kid refetch', async () => {
    const trust = discoveringStore();
    await verifyChain(chain.token, fed.verifyOptions({ trust }));
    const next = await createDomainKey();
    server.publish('b', { keys: [...fed.domains['b'].jwks.keys, next.publicJwk] });
    try {
      const rotated = await resignToken(chain.token, () => undefined, next.key);
      await expect(verifyChain(rotated, fed.verifyOptions({ trust }))).resolves.toMatchObject({
        depth: 2,
      });
    } finally {
      server.publish('b', fed.domains['b'].jwks);
    }
  });

  it('reloads keys after the cache TTL', async () => {
    let clock = 5_000;
    const trust = discoveringStore({ now: () => clock, cacheTtlSeconds: 60 });
    await verifyChain(chain.token, fed.verifyOptions({ trust }));
    const base = server.hits('/a/jwks');
    clock += 61;
    await verifyChain(chain.token, fed.verifyOptions({ trust }));
    expect(server.hits('/a/jwks')).toBe(base + 1);
  });

  it('never fetches for an issuer that is not trusted, even when it is reachable', async () => {
    const x = await createFederation({
      domains: ['x'],
      issuers: { x: server.issuerFor('x') },
      agent: fed.agent,
    });
    server.publish('x', x.domains['x'].jwks);
    const token = (await x.issueChain({ path: ['x'] })).token;
    await expectChainError(
      () => verifyChain(token, fed.verifyOptions({ trust: discoveringStore() })),
      'ERR_UNTRUSTED_ISSUER',
      1,
    );
    expect(server.hits('/.well-known/oauth-authorization-server/x') + server.hits('/x/jwks')).toBe(
      0,
    );
  });

  describe('fails closed with ERR_KEYS_UNAVAILABLE', () => {
    async function unavailable(
      name: string,
      setup: () => void,
      extra: Partial<ConstructorParameters<typeof TrustStore>[0]> = {},
    ) {
      const f = await createFederation({
        domains: [name],
        issuers: { [name]: server.issuerFor(name) },
        agent: fed.agent,
      });
      server.publish(name, f.domains[name].jwks);
      setup();
      const trust = new TrustStore({
        issuers: [{ issuer: f.domains[name].issuer, keys: { discover: true } }],
        ...extra,
      });
      const token = (await f.issueChain({ path: [name] })).token;
      const error = await expectChainError(
        () => verifyChain(token, f.verifyOptions({ trust })),
        'ERR_KEYS_UNAVAILABLE',
        1,
      );
      expect(error.detail.issuer).toBe(f.domains[name].issuer);
    }

    it('when the metadata names another issuer (RFC 8414 §3.3)', () =>
      unavailable('m1', () =>
        server.override('/.well-known/oauth-authorization-server/m1', {
          body: JSON.stringify({
            issuer: 'https://elsewhere.example',
            jwks_uri: `${server.issuerFor('m1')}/jwks`,
          }),
        }),
      ));

    it('when the JWKS endpoint is down', () =>
      unavailable('m2', () => server.override('/m2/jwks', { status: 503 })));

    it('when the server is too slow', () =>
      unavailable(
        'm3',
        () => server.override('/m3/jwks', { body: '{"keys":[]}', delayMs: 2_000 }),
        { fetchTimeoutMs: 200 },
      ));

    it('when the JWKS response is too large', () =>
      unavailable(
        'm4',
        () =>
          server.override('/m4/jwks', {
            body: JSON.stringify({ keys: [], pad: 'x'.repeat(10_000) }),
          }),
        { maxResponseBytes: 4096 },
      ));

    it('when the JWKS is not JSON', () =>
      unavailable('m5', () => server.override('/m5/jwks', { body: '<html>' })));

    it('when the metadata redirects elsewhere', () =>
      unavailable('m6', () =>
        server.override('/.well-known/oauth-authorization-server/m6', {
          status: 302,
          headers: { location: '/m6/jwks' },
        }),
      ));
  });
});

describe('TrustStore configuration', () => {
  it.each(['none', 'HS256', 'RS1'])('refuses algorithm %s at construction', (alg) => {
    expect(
      () =>
        new TrustStore({
          issuers: [
            { issuer: 'https://a.example', keys: { jwks: { keys: [] } }, algorithms: [alg] },
          ],
        }),
    ).toThrow(/issuers\[0\]\.algorithms/);
  });

  it('refuses an issuer configured twice', () => {
    const i: TrustedIssuer = { issuer: 'https://a.example', keys: { jwks: { keys: [] } } };
    expect(() => new TrustStore({ issuers: [i, i] })).toThrow(/issuers\[1\]/);
  });

  it('defaults to roles present and upstream, not origin', () => {
    const trust = new TrustStore({
      issuers: [{ issuer: 'https://a.example', keys: { jwks: { keys: [] } } }],
    });
    expect(
      ['present', 'upstream', 'origin'].map((r) =>
        trust.isTrusted('https://a.example', r as 'origin'),
      ),
    ).toEqual([true, true, false]);
  });

  it('reports an unknown token endpoint for a static issuer without one', async () => {
    const trust = new TrustStore({
      issuers: [{ issuer: 'https://a.example', keys: { jwks: { keys: [] } } }],
    });
    await expectChainError(
      () => trust.getTokenEndpoint('https://a.example'),
      'ERR_KEYS_UNAVAILABLE',
      1,
    );
    await expectChainError(
      () => trust.getTokenEndpoint('https://z.example'),
      'ERR_UNTRUSTED_ISSUER',
      1,
    );
  });

  it('refuses an algorithm outside the issuer allow-list even when the key would verify', async () => {
    const f = await createFederation({ domains: ['a'], algs: { a: 'ES384' } });
    const chain = await f.issueChain({ path: ['a'] });
    const trust = new TrustStore({ issuers: f.trustedIssuers({ algorithms: ['ES256'] }) });
    const error = await expectChainError(
      () => verifyChain(chain.token, f.verifyOptions({ trust })),
      'ERR_SIGNATURE',
      1,
    );
    expect(error.detail.claim).toBe('alg');
    await expect(verifyChain(chain.token, f.verifyOptions())).resolves.toBeDefined();
  });

  it('uses a resolve callback for rotating keys and calls it again for an unknown kid', async () => {
    const f = await createFederation({ domains: ['a'] });
    const next = await createDomainKey();
    let keys = f.domains['a'].jwks.keys;
    let calls = 0;
    const trust = new TrustStore({
      issuers: [
        {
          issuer: f.domains['a'].issuer,
          tokenEndpoint: f.domains['a'].tokenEndpoint,
          keys: {
            resolve: () => {
              calls++;
              return Promise.resolve({ keys });
            },
          },
        },
      ],
    });
    const chain = await f.issueChain({ path: ['a'] });
    await verifyChain(chain.token, f.verifyOptions({ trust }));
    keys = [...keys, next.publicJwk];
    const rotated = await resignToken(chain.token, () => undefined, next.key);
    await expect(verifyChain(rotated, f.verifyOptions({ trust }))).resolves.toBeDefined();
    expect(calls).toBe(2);
  });
});
