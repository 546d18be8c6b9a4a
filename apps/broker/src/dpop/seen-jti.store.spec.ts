import { afterAll, beforeAll, expect, it } from 'vitest';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { isUniqueViolation, SeenJtiStore, type SingleUseClaim } from './seen-jti.store.js';
import {
  describeEachDatabase,
  startBrokerDomain,
  type BrokerDomain,
} from '../../../../test/support/index.js';

function claimOf(key: string, now: number): SingleUseClaim {
  return {
    purpose: 'dpop',
    key,
    expiresAt: now + 60,
    refusal: () => new OAuthError('invalid_dpop_proof', 'replayed'),
  };
}

await describeEachDatabase('SeenJtiStore', (kind) => {
  let domain: BrokerDomain;
  beforeAll(async () => {
    domain = await startBrokerDomain({ kind });
  });
  afterAll(() => domain.close());

  it('refuses the second recording of a key with its refusal, and reports it used', async () => {
    const store = domain.app.get(SeenJtiStore);
    const transactions = domain.app.get(DatabaseTransactions);
    const now = Math.floor(Date.now() / 1000);
    const claim = claimOf('first-use', now);
    expect(await store.isUnused('dpop', 'first-use', now)).toBe(true);
    await transactions.run((tx) => store.record(tx, [claim], now));
    expect(await store.isUnused('dpop', 'first-use', now)).toBe(false);
    await expect(transactions.run((tx) => store.record(tx, [claim], now))).rejects.toThrow(
      'replayed',
    );
  });

  it('consumes nothing when the transaction that recorded a key rolls back', async () => {
    const store = domain.app.get(SeenJtiStore);
    const transactions = domain.app.get(DatabaseTransactions);
    const now = Math.floor(Date.now() / 1000);
    const failing = transactions.run(async (tx) => {
      await store.record(tx, [claimOf('rolled-back', now)], now);
      throw new Error('issuance failed');
    });
    await expect(failing).rejects.toThrow('issuance failed');
    expect(await store.isUnused('dpop', 'rolled-back', now)).toBe(true);
  });

  it('lets exactly one of two concurrent transactions record the same key', async () => {
    const store = domain.app.get(SeenJtiStore);
    const transactions = domain.app.get(DatabaseTransactions);
    const now = Math.floor(Date.now() / 1000);
    const race = await Promise.allSettled(
      [1, 2].map(() => transactions.run((tx) => store.record(tx, [claimOf('raced', now)], now))),
    );
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = race.find((r) => r.status === 'rejected');
    expect(lost?.status === 'rejected' ? lost.reason : undefined).toBeInstanceOf(OAuthError);
  });

  it('lets batches that share keys in opposite orders end in a unique violation, never a deadlock', async () => {
    const store = domain.app.get(SeenJtiStore);
    const transactions = domain.app.get(DatabaseTransactions);
    const now = Math.floor(Date.now() / 1000);
    for (let round = 0; round < 10; round++) {
      // Many keys, so two statements sent at once overlap on PostgreSQL's connections.
      const keys = Array.from({ length: 50 }, (_, i) => `crossed-${round}-${i}`);
      const entries = keys.map((key) => ({ claim: claimOf(key, now), now }));
      const race = await Promise.allSettled(
        [entries, [...entries].reverse()].map((batch) =>
          transactions.writeRows((manager) => [store.recordAllWrite(manager, batch)]),
        ),
      );
      expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = race.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(isUniqueViolation(lost?.reason)).toBe(true);
    }
  });

  it('no longer blocks a key whose row has expired', async () => {
    const store = domain.app.get(SeenJtiStore);
    const transactions = domain.app.get(DatabaseTransactions);
    const now = Math.floor(Date.now() / 1000);
    await transactions.run((tx) => store.record(tx, [claimOf('expiring', now)], now));
    const later = now + 120;
    expect(await store.isUnused('dpop', 'expiring', later)).toBe(true);
    await transactions.run((tx) => store.record(tx, [claimOf('expiring', later)], later));
    expect(await store.isUnused('dpop', 'expiring', later)).toBe(false);
  });
});
