import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomainKey, createFederation, type Federation } from './fixtures/federation.js';
import { startKeyServer, type KeyServer } from './fixtures/key-server.js';
import {
  createStatusList,
  StatusListClient,
  verifyChain,
  writeStatus,
  type StatusList,
  type StatusListClientOptions,
  type TrustStore,
} from '@baton/chain';
import { signStatusListToken } from '@baton/chain/issue';
import { expectChainError } from './support.js';

const DOMAINS = ['a', 'b', 'c'];
let server: KeyServer;
let fed: Federation;
let trust: TrustStore;
let token: string;
let now: number;

const listPath = (name: string) => `/${name}/status/1`;
const idxOf = (hop: number) => 100 + hop * 7;

async function publishList(
  name: string,
  list: StatusList,
  claims: { ttl?: number; exp?: number; sub?: string } = {},
  key = fed.domains[name].key,
): Promise<void> {
  const uri = `${fed.domains[name].issuer}/status/1`;
  const compact = await signStatusListToken({ sub: uri, iat: now, ttl: 60, ...claims }, list, key);
  server.override(listPath(name), {
    body: compact,
    headers: { 'content-type': 'application/statuslist+jwt' },
  });
}

function list(revoked: number[] = []): StatusList {
  const l = createStatusList(1, 1024);
  revoked.forEach((i) => writeStatus(l, i, 1));
  return l;
}

async function publishAllValid(): Promise<void> {
  for (const name of DOMAINS) {
    await publishList(name, list());
  }
}

function verify(statusLists: StatusListClient, at = now) {
  return verifyChain(token, { ...fed.verifyOptions({ trust }), now: at, statusLists });
}

const client = (options: StatusListClientOptions = {}) =>
  new StatusListClient({ retryAfterSeconds: 0, ...options });

beforeAll(async () => {
  server = await startKeyServer();
  fed = await createFederation({
    domains: DOMAINS,
    issuers: Object.fromEntries(DOMAINS.map((d) => [d, server.issuerFor(d)])),
  });
  now = fed.now();
  trust = fed.trustStore();
  const chain = await fed.issueChain({
    now,
    tamper: {
      linkClaims: (i, claims) => {
        claims.status = { status_list: { idx: idxOf(i), uri: `${claims.iss}/status/1` } };
      },
    },
  });
  token = chain.token;
});
afterAll(() => server.close());

describe('StatusListClient through verifyChain (invariant 10)', () => {
  it('accepts a chain whose every link is VALID, one fetch per list for concurrent verifications', async () => {
    await publishAllValid();
    const statusLists = client();
    const before = DOMAINS.map((d) => server.hits(listPath(d)));
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(statusLists)));
    expect(results.every((r) => r.depth === 3)).toBe(true);
    expect(DOMAINS.map((d, i) => server.hits(listPath(d)) - before[i])).toEqual([1, 1, 1]);
  });

  it('refuses a chain whose middle link is revoked, naming that link and its issuer', async () => {
    await publishAllValid();
    await publishList('b', list([idxOf(1)]));
    const error = await expectChainError(() => verify(client()), 'ERR_REVOKED', 10);
    expect(error.detail).toMatchObject({ link: 1, issuer: fed.domains.b.issuer, actual: 1 });
  });

  it('refuses SUSPENDED (2) like INVALID: any status but VALID withdraws the link', async () => {
    await publishAllValid();
    const two = createStatusList(2, 1024);
    writeStatus(two, idxOf(0), 2);
    await publishList('a', two);
    const error = await expectChainError(() => verify(client()), 'ERR_REVOKED', 10);
    expect(error.detail).toMatchObject({ link: 0, actual: 2 });
  });

  it('uses a cached list until its ttl, then fetches the revocation', async () => {
    await publishAllValid();
    const statusLists = client();
    await verify(statusLists);
    await publishList('c', list([idxOf(2)]), { ttl: 30 });
    await expect(verify(statusLists, now + 29)).resolves.toBeDefined();
    const error = await expectChainError(() => verify(statusLists, now + 61), 'ERR_REVOKED');
    expect(error.detail.link).toBe(2);
  });

  it('never uses a list past its exp, whatever its ttl', async () => {
    await publishAllValid();
    await publishList('a', list(), { ttl: 3000, exp: now + 100 });
    const statusLists = client({ clockSkew: 0 });
    await verify(statusLists);
    await publishList('a', list([idxOf(0)]), { ttl: 3000, exp: now + 1000 });
    await expectChainError(() => verify(statusLists, now + 101), 'ERR_REVOKED');
  });
});

describe('a status list that cannot be had: fail closed, or open when chosen per issuer', () => {
  const failures: Record<string, () => Promise<StatusListClientOptions | void>> = {
    unreachable: () => Promise.resolve(server.override(listPath('b'), { status: 404 })),
    slow: async () => {
      await publishList('b', list());
      server.override(listPath('b'), { body: 'x', delayMs: 400 });
      return { fetchTimeoutMs: 100 };
    },
    'oversized (response)': () =>
      Promise.resolve(server.override(listPath('b'), { body: 'x'.repeat(300 * 1024) })),
    'oversized (inflates past the cap)': async () => {
      await publishList('b', createStatusList(1, 64 * 1024 * 1024));
      return { maxListBytes: 1024 * 1024 };
    },
    'badly signed (another key)': async () => {
      await publishList('b', list(), {}, (await createDomainKey()).key);
    },
    'badly signed (signed by another trusted domain)': async () => {
      await publishList('b', list(), {}, fed.domains.c.key);
    },
    'for another uri (sub)': async () => {
      await publishList('b', list(), { sub: `${fed.domains.b.issuer}/status/2` });
    },
    expired: async () => {
      await publishList('b', list(), { exp: now - 100 });
    },
    'too short for the index': async () => {
      await publishList('b', createStatusList(1, 8));
    },
  };

  for (const [name, breakList] of Object.entries(failures)) {
    it(`${name}: refused with ERR_STATUS_UNAVAILABLE, accepted when b is fail-open`, async () => {
      await publishAllValid();
      const extra = (await breakList()) ?? {};
      const error = await expectChainError(
        () => verify(client(extra)),
        'ERR_STATUS_UNAVAILABLE',
        10,
      );
      expect(error.detail).toMatchObject({ link: 1, issuer: fed.domains.b.issuer });
      const open = client({ ...extra, failOpenIssuers: [fed.domains.b.issuer] });
      await expect(verify(open)).resolves.toMatchObject({ depth: 3 });
      await expectChainError(
        () => verify(client({ ...extra, failOpenIssuers: [fed.domains.a.issuer] })),
        'ERR_STATUS_UNAVAILABLE',
      );
    });
  }

  it('a fail-open issuer whose list says revoked is still refused', async () => {
    await publishAllValid();
    await publishList('b', list([idxOf(1)]));
    const open = client({ failOpenIssuers: [fed.domains.b.issuer] });
    await expectChainError(() => verify(open), 'ERR_REVOKED');
  });

  it('remembers a failure for retryAfterSeconds instead of refetching on every request', async () => {
    await publishAllValid();
    server.override(listPath('b'), { status: 503 });
    const statusLists = new StatusListClient({ retryAfterSeconds: 5 });
    const before = server.hits(listPath('b'));
    await expectChainError(() => verify(statusLists), 'ERR_STATUS_UNAVAILABLE');
    await expectChainError(() => verify(statusLists, now + 4), 'ERR_STATUS_UNAVAILABLE');
    expect(server.hits(listPath('b')) - before).toBe(1);
    await publishList('b', list());
    await expect(verify(statusLists, now + 5)).resolves.toBeDefined();
  });
});
