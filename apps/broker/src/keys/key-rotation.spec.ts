import { createLocalJWKSet, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { afterEach, expect, it } from 'vitest';
import { createBrokerApp } from '../bootstrap.js';
import {
  describeEachDatabase,
  ManualClock,
  startBrokerDomain,
  type BrokerDomain,
} from '../../../../test/support/index.js';
import { KeysService } from './keys.service.js';

const INTERVAL = 3600;
const PRE_PUBLISH = 600;
const MAX_TTL = 900;
const SKEW = 30;
const schedule = {
  keys: { rotationIntervalSeconds: INTERVAL, prePublishSeconds: PRE_PUBLISH },
  tokens: { accessTokenTtlSeconds: 300, maxTokenTtlSeconds: MAX_TTL },
  dpop: { clockSkewSeconds: SKEW },
};

async function fetchJwks(domain: BrokerDomain): Promise<JSONWebKeySet> {
  const response = await fetch(`${domain.url}/jwks`);
  expect(response.status).toBe(200);
  return (await response.json()) as JSONWebKeySet;
}

async function signToken(
  domain: BrokerDomain,
  clock: ManualClock,
): Promise<{ token: string; kid: string }> {
  const key = await domain.app.get(KeysService).getSigningKey();
  const token = await new SignJWT({ sub: 'agent' })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(domain.issuer)
    .setIssuedAt(clock.seconds())
    .setExpirationTime(clock.seconds() + MAX_TTL)
    .sign(key.privateKey);
  return { token, kid: key.kid };
}

function verifyAt(token: string, jwks: JSONWebKeySet, clock: ManualClock) {
  return jwtVerify(token, createLocalJWKSet(jwks), { currentDate: new Date(clock.now()) });
}

await describeEachDatabase('signing key rotation', (kind) => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of open.reverse()) {
      await item.close();
    }
    open.length = 0;
  });

  it('pre-publishes the next key, switches at activation, keeps the old key until its tokens expired', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const t0 = clock.seconds();
    const domain = await startBrokerDomain({ kind, clock, configOverrides: schedule });
    open.push(domain);
    const keys = domain.app.get(KeysService);

    const before = await signToken(domain, clock);
    expect((await fetchJwks(domain)).keys.map((key) => key.kid)).toEqual([before.kid]);

    clock.advance(INTERVAL - PRE_PUBLISH - 1);
    expect((await fetchJwks(domain)).keys).toHaveLength(1);

    clock.advance(1);
    const prePublished = await fetchJwks(domain);
    expect(prePublished.keys).toHaveLength(2);
    const next = prePublished.keys.find((key) => key.kid !== before.kid)!;
    expect((await keys.getSigningKey()).kid).toBe(before.kid);
    const lastOld = await signToken(domain, clock);
    expect(lastOld.kid).toBe(before.kid);

    clock.advance(PRE_PUBLISH - 1);
    expect((await keys.getSigningKey()).kid).toBe(before.kid);
    clock.advance(1);
    expect(clock.seconds()).toBe(t0 + INTERVAL);
    const after = await signToken(domain, clock);
    expect(after.kid).toBe(next.kid);

    const jwksAfter = await fetchJwks(domain);
    expect(jwksAfter.keys.map((key) => key.kid).sort()).toEqual([before.kid, next.kid].sort());
    expect((await verifyAt(lastOld.token, jwksAfter, clock)).protectedHeader.kid).toBe(before.kid);
    expect((await verifyAt(after.token, jwksAfter, clock)).protectedHeader.kid).toBe(next.kid);

    // Retired at t0 + INTERVAL; published until every token it signed has expired, plus skew.
    clock.advance(MAX_TTL + SKEW - 1);
    expect((await fetchJwks(domain)).keys.map((key) => key.kid)).toContain(before.kid);
    clock.advance(1);
    expect((await fetchJwks(domain)).keys.map((key) => key.kid)).toEqual([next.kid]);
  });

  // One process per SQLite file is enforced (database/sqlite-process-lock.ts): replicas need PostgreSQL.
  const replicas = kind === 'postgres' ? it : it.skip;

  replicas(
    'two replicas sharing the database agree on the active key and rotate once',
    async () => {
      const clock = new ManualClock(Date.UTC(2030, 0, 1));
      const first = await startBrokerDomain({ kind, clock, configOverrides: schedule });
      open.push(first);
      const second = await startBrokerDomain({ replicaOf: first });
      open.push(second);
      const [keysA, keysB] = [first.app.get(KeysService), second.app.get(KeysService)];
      expect(await fetchJwks(second)).toEqual(await fetchJwks(first));
      expect((await keysB.getSigningKey()).kid).toBe((await keysA.getSigningKey()).kid);

      clock.advance(INTERVAL - PRE_PUBLISH);
      await Promise.all([keysA.refresh(), keysB.refresh(), keysA.refresh(), keysB.refresh()]);
      const jwksA = await fetchJwks(first);
      expect(jwksA.keys).toHaveLength(2);
      expect(await fetchJwks(second)).toEqual(jwksA);

      clock.advance(PRE_PUBLISH);
      const [activeA, activeB] = await Promise.all([keysA.getSigningKey(), keysB.getSigningKey()]);
      expect(activeA.kid).toBe(activeB.kid);
      expect(activeA.kid).toBe(jwksA.keys[0].kid);
    },
  );

  replicas('replicas starting at once on an empty database create one key', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const first = await startBrokerDomain({ kind, clock, configOverrides: schedule });
    open.push(first);
    // Empty the table the first replica filled, then start two more at the same moment.
    await first.app.get(KeysService)['keys'].clear();
    const apps = await Promise.all([
      createBrokerApp(first.config, { clock, logger: false }),
      createBrokerApp(first.config, { clock, logger: false }),
    ]);
    open.push(...apps.map((app) => ({ close: () => app.close() })));
    const [a, b] = await Promise.all(apps.map((app) => app.get(KeysService).getPublishedJwks()));
    expect(a.keys).toHaveLength(1);
    expect(b).toEqual(a);
  });
});
