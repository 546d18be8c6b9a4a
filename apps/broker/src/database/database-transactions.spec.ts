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
import { RowStatements } from './row-statements.js';
import { SeenJtiEntity } from './seen-jti.entity.js';

const SEEN_JTI_ROWS = new RowStatements(SeenJtiEntity);

await describeEachDatabase('DatabaseTransactions', (kind) => {
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

  it('reads the last commit without waiting for the transaction in progress', async () => {
    const transactions = a.app.get(DatabaseTransactions);
    const key = `dpop:${randomBytes(12).toString('base64url')}`;
    const readKey = () =>
      transactions.read((manager) => SEEN_JTI_ROWS.selectIn(manager, 'key', [key], ['key']));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const rowWritten = new Promise<void>((resolve) => (inserted = resolve));
    const writing = transactions.run(async (manager) => {
      await SEEN_JTI_ROWS.insert(manager, [{ key, expiresAt: 4_000_000_000 }]);
      inserted();
      await held;
    });
    await rowWritten;
    // Answered while the transaction is open (awaiting it would hang), without its row.
    expect(await readKey()).toEqual([]);
    release();
    await writing;
    expect(await readKey()).toEqual([{ key }]);
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
    // Concurrent appends may commit in either order (PostgreSQL serves them on two connections).
    const [first, second] = (
      await Promise.all([audit.record(event()), audit.record(event())])
    ).sort((x, y) => x.seq - y.seq);
    expect(second.seq).toBe(first.seq + 1);
    const stored = await dataSourceOf(a)
      .getRepository(AuditEventEntity)
      .findOneByOrFail({ seq: second.seq });
    expect(stored.prevHash).toBe(first.hash);
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });

  it('writes a unit of rows whole, runs its hooks after the commit, and leaves nothing of a failed one', async () => {
    const transactions = a.app.get(DatabaseTransactions);
    const key = () => `dpop:${randomBytes(12).toString('base64url')}`;
    const [first, second, taken] = [key(), key(), key()];
    await SEEN_JTI_ROWS.insert(dataSourceOf(a).manager, [{ key: taken, expiresAt: 4_000_000_000 }]);
    const ran: string[] = [];
    await expect(
      transactions.writeRows((manager) => {
        transactions.afterCommit(manager, () => ran.push('failed unit'));
        return [
          SEEN_JTI_ROWS.insertWrite(manager, [{ key: first, expiresAt: 4_000_000_000 }]),
          SEEN_JTI_ROWS.updateWrite(manager, 'key', taken, { expiresAt: 4_000_000_001 }),
          SEEN_JTI_ROWS.insertWrite(manager, [{ key: taken, expiresAt: 4_000_000_002 }]),
        ];
      }),
    ).rejects.toThrow(/UNIQUE|duplicate key/i);
    const stored = (keys: string[]) =>
      transactions.read((manager) =>
        SEEN_JTI_ROWS.selectIn(manager, 'key', keys, ['key', 'expiresAt']),
      );
    expect(ran).toEqual([]);
    expect(await stored([first, taken])).toEqual([{ key: taken, expiresAt: 4_000_000_000 }]);

    await transactions.writeRows((manager) => {
      transactions.afterCommit(manager, () => ran.push('committed unit'));
      return [
        SEEN_JTI_ROWS.insertWrite(manager, [
          { key: first, expiresAt: 4_000_000_000 },
          { key: second, expiresAt: 4_000_000_003 },
        ]),
        SEEN_JTI_ROWS.updateWrite(manager, 'key', taken, { expiresAt: 4_000_000_004 }),
      ];
    });
    expect(ran).toEqual(['committed unit']);
    expect(
      (await stored([first, second, taken])).sort((x, y) => x.expiresAt - y.expiresAt),
    ).toEqual([
      { key: first, expiresAt: 4_000_000_000 },
      { key: second, expiresAt: 4_000_000_003 },
      { key: taken, expiresAt: 4_000_000_004 },
    ]);
    // The connection is left outside any transaction: a plain transaction still runs.
    await transactions.run((manager) => manager.query('SELECT 1'));
  });

  // PostgreSQL refuses a NUL in text at all.
  it.runIf(kind === 'sqlite')(
    'writes a unit whose values JSON would not carry unchanged exactly, in a transaction',
    async () => {
      const transactions = a.app.get(DatabaseTransactions);
      const key = `dpop:${randomBytes(12).toString('base64url')}\u0000after the NUL`;
      await transactions.writeRows((manager) => [
        SEEN_JTI_ROWS.insertWrite(manager, [{ key, expiresAt: 4_000_000_000 }]),
      ]);
      expect(
        await transactions.read((manager) =>
          SEEN_JTI_ROWS.selectIn(manager, 'key', [key], ['key']),
        ),
      ).toEqual([{ key }]);
    },
  );
});
