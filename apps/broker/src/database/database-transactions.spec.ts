import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataSourceOf, verifyLogOf } from '../../../../test/audit/audit-support.js';
import {
  describeEachDatabase,
  startBrokerDomain,
  type BrokerDomain,
} from '../../../../test/support/index.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { AuditLog } from '../audit/audit-log.service.js';
import { DatabaseTransactions } from './database-transactions.js';

await describeEachDatabase('DatabaseTransactions.afterCommit', (kind) => {
  let a: BrokerDomain;

  beforeAll(async () => {
    a = await startBrokerDomain({ kind });
  });
  afterAll(() => a?.close());

  it('runs a hook once its transaction has committed, and never for one that rolled back', async () => {
    const transactions = a.app.get(DatabaseTransactions);
    const ran: string[] = [];
    await transactions.run(async (manager) => {
      transactions.afterCommit(manager, () => ran.push('committed'));
      await manager.query('SELECT 1');
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['committed']);
    await expect(
      transactions.run(async (manager) => {
        transactions.afterCommit(manager, () => ran.push('rolled back'));
        await manager.query('SELECT 1');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(ran).toEqual(['committed']);
  });

  it('keeps one valid audit chain when appends roll back between appends that commit', async () => {
    const audit = a.app.get(AuditLog);
    const transactions = a.app.get(DatabaseTransactions);
    const event = () => ({
      kind: 'config.loaded' as const,
      at: audit.now(),
      data: { marker: randomBytes(6).toString('hex') },
    });
    await audit.record(event());
    await expect(
      transactions.run(async (manager) => {
        await audit.append(manager, event());
        throw new Error('rolled back after the append');
      }),
    ).rejects.toThrow('rolled back');
    const [first, second] = await Promise.all([audit.record(event()), audit.record(event())]);
    expect(second.seq).toBe(first.seq + 1);
    const stored = await dataSourceOf(a)
      .getRepository(AuditEventEntity)
      .findOneByOrFail({ seq: second.seq });
    expect(stored.prevHash).toBe(first.hash);
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });
});
