import { afterEach, expect, it } from 'vitest';
import { KeysService } from '../../apps/broker/src/keys/keys.service.js';
import {
  describeEachDatabase,
  ManualClock,
  startBrokerDomain,
  type BrokerDomain,
} from '../support/index.js';
import { eventsOf, verifyLogOf } from './audit-support.js';

const INTERVAL = 3600;
const PRE_PUBLISH = 600;
const schedule = {
  keys: { rotationIntervalSeconds: INTERVAL, prePublishSeconds: PRE_PUBLISH },
  tokens: { accessTokenTtlSeconds: 300, maxTokenTtlSeconds: 900 },
};

// Issue 10, the record: key activation is an event, written once per key.
await describeEachDatabase('key.activated', (kind) => {
  const open: BrokerDomain[] = [];
  afterEach(async () => {
    for (const domain of open.reverse()) {
      await domain.close();
    }
    open.length = 0;
  });

  async function activations(domain: BrokerDomain): Promise<{ at: number; data: unknown }[]> {
    return (await eventsOf(domain, 'key.activated')).map((event) => ({
      at: event.at,
      data: JSON.parse(event.data) as unknown,
    }));
  }

  it('is recorded once when the pre-published key starts signing, not for the first key', async () => {
    const clock = new ManualClock(Date.UTC(2031, 0, 1));
    const t0 = clock.seconds();
    const domain = await startBrokerDomain({ kind, clock, configOverrides: schedule });
    open.push(domain);
    const keys = domain.app.get(KeysService);
    expect(await activations(domain)).toEqual([]);

    clock.advance(INTERVAL - PRE_PUBLISH);
    await keys.refresh();
    const [, generated] = await eventsOf(domain, 'key.generated');
    const next = JSON.parse(generated.data) as { kid: string; activatesAt: number };
    expect(next.activatesAt).toBe(t0 + INTERVAL);
    expect(await activations(domain)).toEqual([]);

    clock.advance(PRE_PUBLISH);
    expect((await keys.getSigningKey()).kid).toBe(next.kid);
    await keys.refresh();
    clock.advance(60);
    await keys.refresh();
    expect(await activations(domain)).toEqual([
      { at: t0 + INTERVAL, data: { kid: next.kid, activatesAt: t0 + INTERVAL } },
    ]);
    expect(await verifyLogOf(domain)).toMatchObject({ valid: true });
  });

  // Replicas share PostgreSQL only: one broker process per SQLite file.
  it.skipIf(kind === 'sqlite')(
    'two replicas observing the activation at once record it once',
    async () => {
      const clock = new ManualClock(Date.UTC(2031, 5, 1));
      const domain = await startBrokerDomain({ kind, clock, configOverrides: schedule });
      open.push(domain);
      const replica = await startBrokerDomain({ kind, replicaOf: domain });
      open.push(replica);
      clock.advance(INTERVAL - PRE_PUBLISH);
      await domain.app.get(KeysService).refresh();
      clock.advance(PRE_PUBLISH);
      await Promise.all([
        domain.app.get(KeysService).refresh(),
        replica.app.get(KeysService).refresh(),
      ]);
      await Promise.all([
        domain.app.get(KeysService).refresh(),
        replica.app.get(KeysService).refresh(),
      ]);
      expect(await activations(domain)).toHaveLength(1);
      expect(await verifyLogOf(domain)).toMatchObject({ valid: true });
    },
  );
});
