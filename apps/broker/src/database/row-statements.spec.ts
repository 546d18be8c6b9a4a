import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { In } from 'typeorm';
import { dataSourceOf } from '../../../../test/audit/audit-support.js';
import {
  describeEachDatabase,
  startBrokerDomain,
  type BrokerDomain,
} from '../../../../test/support/index.js';
import { IssuedTokenEntity } from './issued-token.entity.js';
import { RowStatements } from './row-statements.js';
import { bundleOf, runBundle } from './sqlite-write-bundle.js';

const ROWS = new RowStatements(IssuedTokenEntity);

function record(overrides: Partial<IssuedTokenEntity> = {}): IssuedTokenEntity {
  return {
    jti: randomBytes(12).toString('hex'),
    issuer: 'http://127.0.0.1:1/a',
    grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
    parentJti: null,
    parentIssuer: null,
    clientId: 'agent',
    sub: 'agent',
    aud: 'http://127.0.0.1:2/b',
    scope: 'read write',
    cnfJkt: randomBytes(32).toString('base64url'),
    iat: 1_800_000_000,
    exp: 4_102_444_800,
    depth: 2,
    tokenHash: randomBytes(32).toString('base64url'),
    linkHash: randomBytes(32).toString('base64url'),
    chainHashes: '[]',
    links: '[]',
    statusList: null,
    statusIdx: null,
    revokedAt: null,
    ...overrides,
  };
}

await describeEachDatabase('RowStatements: the issuance path’s plain SQL', (kind) => {
  let a: BrokerDomain;

  beforeAll(async () => {
    a = await startBrokerDomain({ kind });
  });
  afterAll(() => a?.close());

  const repository = () => dataSourceOf(a).getRepository(IssuedTokenEntity);

  it('inserts rows that TypeORM reads back field for field, nulls and transformed columns included', async () => {
    const rows = [
      record(),
      record({
        parentJti: 'p1',
        parentIssuer: 'http://127.0.0.1:3/c',
        statusList: 1,
        statusIdx: 65_535,
      }),
      record({ revokedAt: 1_800_000_123, scope: 'it\'s "quoted"; DROP TABLE issued_token; --' }),
    ];
    await ROWS.insert(dataSourceOf(a).manager, rows);
    const read = await repository().findBy({ jti: In(rows.map((row) => row.jti)) });
    expect(read.sort((x, y) => x.jti.localeCompare(y.jti))).toEqual(
      rows.map((row) => ({ ...row })).sort((x, y) => x.jti.localeCompare(y.jti)),
    );
  });

  it('selects by key the rows TypeORM finds, converted the same way, and nothing for unknown keys', async () => {
    const rows = [record({ revokedAt: 1_800_000_999 }), record()];
    await repository().insert(rows);
    const keys = [...rows.map((row) => row.jti), 'no-such-jti'];
    const selected = await ROWS.selectIn(dataSourceOf(a).manager, 'jti', keys, [
      'jti',
      'revokedAt',
    ]);
    const found = await repository().find({
      select: { jti: true, revokedAt: true },
      where: { jti: In(keys) },
    });
    const byJti = (list: { jti: string }[]) => list.sort((x, y) => x.jti.localeCompare(y.jti));
    expect(byJti(selected)).toEqual(byJti(found.map(({ jti, revokedAt }) => ({ jti, revokedAt }))));
    expect(selected.find((row) => row.jti === rows[0].jti)?.revokedAt).toBe(1_800_000_999);
  });

  it('updates only the named columns of the keyed row, read back under lock in the same transaction', async () => {
    const [target, other] = [record(), record()];
    await repository().insert([target, other]);
    await dataSourceOf(a).transaction(async (manager) => {
      expect(await ROWS.selectLocked(manager, 'jti', 'no-such-jti', ['jti'])).toBeUndefined();
      await ROWS.update(manager, 'jti', target.jti, { revokedAt: 1_900_000_000, scope: 'read' });
      expect(await ROWS.selectLocked(manager, 'jti', target.jti, ['scope', 'revokedAt'])).toEqual({
        scope: 'read',
        revokedAt: 1_900_000_000,
      });
    });
    expect(await repository().findOneBy({ jti: target.jti })).toEqual({
      ...target,
      revokedAt: 1_900_000_000,
      scope: 'read',
    });
    expect(await repository().findOneBy({ jti: other.jti })).toEqual(other);
  });

  it.runIf(kind === 'postgres')(
    'holds a row read with selectLocked until commit: a second reader waits, then sees the update',
    async () => {
      const row = record();
      await repository().insert(row);
      const source = dataSourceOf(a);
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstLocked!: () => void;
      const locked = new Promise<void>((resolve) => (firstLocked = resolve));
      const first = source.transaction(async (manager) => {
        await ROWS.selectLocked(manager, 'jti', row.jti, ['jti']);
        firstLocked();
        await firstHolds;
        await ROWS.update(manager, 'jti', row.jti, { depth: 7 });
      });
      await locked;
      let secondRead = false;
      const second = source.transaction(async (manager) => {
        const seen = await ROWS.selectLocked(manager, 'jti', row.jti, ['depth']);
        secondRead = true;
        return seen;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(secondRead).toBe(false);
      releaseFirst();
      await first;
      expect(await second).toEqual({ depth: 7 });
    },
  );

  it('refuses a duplicate key like TypeORM’s insert, writing none of the statement’s rows', async () => {
    const existing = record();
    await repository().insert(existing);
    const fresh = record();
    await expect(
      ROWS.insert(dataSourceOf(a).manager, [fresh, { ...record(), jti: existing.jti }]),
    ).rejects.toThrow(/UNIQUE|duplicate key/i);
    expect(await repository().findOneBy({ jti: fresh.jti })).toBeNull();
  });

  it.runIf(kind === 'sqlite')(
    'stores the same SQL values through the bundled statement as through bound parameters',
    async () => {
      const manager = dataSourceOf(a).manager;
      const rows = [
        record(),
        record({
          parentJti: 'p1',
          parentIssuer: 'http://127.0.0.1:3/c',
          statusList: 0,
          statusIdx: 2_147_483_647,
          revokedAt: 1_800_000_123,
          scope: 'it\'s "quoted"; DROP TABLE issued_token; -- \u2028 é 🔑 \\u0000',
        }),
      ];
      const update = { revokedAt: 1_900_000_000, depth: 3 };
      const columns = dataSourceOf(a)
        .getMetadata(IssuedTokenEntity)
        .columns.map((column) => column.databaseName);
      const jtis = rows.map((row) => row.jti);
      // Each column's value and its SQL type (typeof), so an INTEGER stored as TEXT would show.
      const stored = () =>
        manager.query<Record<string, unknown>[]>(
          `SELECT ${columns.map((c) => `"${c}", typeof("${c}") AS "type of ${c}"`).join(', ')}
           FROM issued_token WHERE jti IN (?, ?) ORDER BY jti`,
          jtis,
        );

      await ROWS.insert(manager, rows);
      await ROWS.update(manager, 'jti', rows[0].jti, update);
      const bound = await stored();
      await manager.query('DELETE FROM issued_token WHERE jti IN (?, ?)', jtis);
      const bundle = bundleOf([
        ROWS.insertWrite(manager, rows),
        ROWS.updateWrite(manager, 'jti', rows[0].jti, update),
      ]);
      expect(bundle).toBeDefined();
      await runBundle(manager, bundle!);
      expect(bound).toHaveLength(2);
      expect(await stored()).toEqual(bound);
    },
  );

  it.runIf(kind === 'sqlite')(
    'does not bundle a value JSON would not carry unchanged: a NUL in a string, bytes',
    () => {
      const manager = dataSourceOf(a).manager;
      const insert = (scope: unknown) =>
        ROWS.insertWrite(manager, [record({ scope: scope as string })]).bundled();
      expect(insert('read write')).toBeDefined();
      expect(insert('read\u0000write')).toBeUndefined();
      expect(insert(Buffer.from('read'))).toBeUndefined();
      expect(
        ROWS.updateWrite(manager, 'jti', 'some-jti', { sub: 'agent\u0000' }).bundled(),
      ).toBeUndefined();
    },
  );
});
