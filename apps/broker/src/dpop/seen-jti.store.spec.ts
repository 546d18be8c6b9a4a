import { afterAll, beforeAll, expect, it } from 'vitest';
import { DatabaseTransactions } from '../database/database-transactions.js';
import { SeenJtiStore } from './seen-jti.store.js';
import {
  describeEachDatabase,
  startBrokerDomain,
  type BrokerDomain,
} from '../../../../test/support/index.js';

await describeEachDatabase('SeenJtiStore', (kind) => {
  let domain: BrokerDomain;
  beforeAll(async () => {
    domain = await startBrokerDomain({ kind });
  });
  afterAll(() => domain.close());

  it('refuses the second claim of a key', async () => {
    const store = domain.app.get(SeenJtiStore);
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    expect(await store.claim('dpop', 'first-use', expiresAt)).toBe(true);
    expect(await store.claim('dpop', 'first-use', expiresAt)).toBe(false);
  });

  it('keeps a claim made while another transaction is open when that transaction rolls back', async () => {
    const store = domain.app.get(SeenJtiStore);
    const transactions = domain.app.get(DatabaseTransactions);
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const failing = transactions.run(async (manager) => {
      await manager.query('SELECT 1');
      opened();
      await held;
      throw new Error('issuance failed');
    });
    await isOpen;
    const claim = store.claim('dpop', 'during-rollback', expiresAt);
    release();
    await expect(failing).rejects.toThrow('issuance failed');
    expect(await claim).toBe(true);
    // A replay after the rollback must still be seen.
    expect(await store.claim('dpop', 'during-rollback', expiresAt)).toBe(false);
  });
});
