import { afterEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { DataSource } from 'typeorm';
import { DatabaseTransactions } from '../../apps/broker/src/database/database-transactions.js';
import { createAgent, type Agent } from '../../libs/chain/test/fixtures/federation.js';
import { startBrokerDomain, type BrokerDomain } from '../support/index.js';
import { clientCredentials, secretAuth, secretClient, type TokenAnswer } from '../token-helpers.js';
import { getJson, unrecordedTokens } from './fault-helpers.js';

// Issue 8 §2: no token without its committed record when SQLite cannot write.
describe('fault: SQLite cannot write (full, failed commit, failed rollback)', () => {
  let a: BrokerDomain | undefined;
  afterEach(async () => {
    await a?.app.close();
    await a?.database.drop();
  });

  async function start(): Promise<{ domain: BrokerDomain; database: DataSource; agent: Agent }> {
    a = await startBrokerDomain({
      configOverrides: { clients: [secretClient('agent', ['read'])] },
    });
    return { domain: a, database: a.app.get(DataSource), agent: await createAgent() };
  }

  function waves(domain: BrokerDomain, agent: Agent, issued: string[]) {
    return async (count: number): Promise<TokenAnswer[]> => {
      const answers = await Promise.all(
        Array.from({ length: count }, () => clientCredentials(domain, secretAuth('agent'), agent)),
      );
      issued.push(
        ...answers.filter((x) => x.status === 200).map((x) => String(x.body.access_token)),
      );
      return answers;
    };
  }

  it('full: 503 with Retry-After and not ready, every 200 recorded, recovers when space returns', async () => {
    const { domain, database, agent } = await start();
    const issued: string[] = [];
    const wave = waves(domain, agent, issued);
    expect((await wave(4)).every((answer) => answer.status === 200)).toBe(true);
    const [{ page_count: pages }] =
      await database.query<{ page_count: number }[]>('PRAGMA page_count');
    // SQLite refuses to allocate pages beyond this: the database is "full" a few records later.
    // The limit is per connection: set on each the broker writes through.
    const writers = domain.app.get(DatabaseTransactions).writers;
    expect(writers.length).toBe(2);
    for (const writer of writers) {
      await writer.query(`PRAGMA max_page_count = ${pages + 3}`);
    }

    const refused: TokenAnswer[] = [];
    for (let round = 0; round < 6; round++) {
      refused.push(...(await wave(8)).filter((answer) => answer.status !== 200));
    }
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(503);
      expect(answer.body.error).toBe('temporarily_unavailable');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const notReady = await getJson(`${domain.url}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(JSON.stringify(notReady.body)).toMatch(/storage/);

    for (const writer of writers) {
      await writer.query('PRAGMA max_page_count = 1073741823');
    }
    const after = await wave(8);
    expect(after.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect((await getJson(`${domain.url}/health/ready`)).status).toBe(200);
    await domain.app.close();
    expect(await unrecordedTokens(domain, issued)).toEqual([]);
  });

  it('runs without sqlite3 statement tracing (TypeORM would switch it on with verbose())', async () => {
    await start();
    const sqlite3 = createRequire(import.meta.url)('sqlite3') as {
      Database: { prototype: { run: () => unknown } };
    };
    // sqlite3's trace wrapper captures a stack and formats the parameters of every statement.
    expect(sqlite3.Database.prototype.run.toString()).not.toMatch(/new Error\(\)/);
  });

  it('stays usable after SQLite ended the transaction itself, after a failed COMMIT, and with a stray open transaction', async () => {
    const { domain, database, agent } = await start();
    const issued: string[] = [];
    const wave = waves(domain, agent, issued);
    // Two faults SQLite raises on a full disk, made deterministic by triggers: `abort` rolls the
    // whole transaction back inside SQLite (as SQLITE_FULL or SQLITE_IOERR at COMMIT do), so the
    // ROLLBACK that follows finds none; `defer` makes COMMIT itself fail (a deferred constraint)
    // and leaves the transaction open.
    await database.query('CREATE TABLE fault_switch (mode TEXT NOT NULL)');
    await database.query("INSERT INTO fault_switch (mode) VALUES ('off')");
    await database.query('CREATE TABLE fault_parent (id TEXT PRIMARY KEY)');
    await database.query(
      'CREATE TABLE fault_child (parent TEXT REFERENCES fault_parent (id) DEFERRABLE INITIALLY DEFERRED)',
    );
    await database.query(
      `CREATE TRIGGER fault_abort AFTER INSERT ON issued_token
       WHEN (SELECT mode FROM fault_switch) = 'abort'
       BEGIN SELECT RAISE(ROLLBACK, 'injected fault'); END`,
    );
    await database.query(
      `CREATE TRIGGER fault_defer AFTER INSERT ON issued_token
       WHEN (SELECT mode FROM fault_switch) = 'defer'
       BEGIN INSERT INTO fault_child (parent) VALUES ('missing'); END`,
    );
    for (const mode of ['abort', 'defer']) {
      await database.query(`UPDATE fault_switch SET mode = '${mode}'`);
      const [answer] = await wave(1);
      expect(answer.status, JSON.stringify(answer.body)).toBeGreaterThanOrEqual(500);
      expect(answer.body.access_token).toBeUndefined();
      await database.query("UPDATE fault_switch SET mode = 'off'");
    }
    // A transaction left open on the shared connection, outside the write queue.
    await database.query('BEGIN');
    const after = [...(await wave(6)), ...(await wave(6))];
    expect(after.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    await domain.app.close();
    expect(await unrecordedTokens(domain, issued)).toEqual([]);
  });
});
