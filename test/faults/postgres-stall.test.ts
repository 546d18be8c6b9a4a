import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Agent } from '../../libs/chain/test/fixtures/federation.js';
import {
  createTestDatabase,
  postgresUnavailableReason,
  startBrokerDomain,
  type BrokerDomain,
  type TestDatabase,
} from '../support/index.js';
import { clientCredentials, secretAuth, secretClient, type TokenAnswer } from '../token-helpers.js';
import { getJson, unrecordedTokens } from './fault-helpers.js';
import { TcpProxy } from './tcp-proxy.js';

const STATEMENT_MS = 1000;
/** Generous bound for "answers within the configured timeout" on a loaded 2-core machine. */
const ANSWER_BOUND_MS = 8000;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

// Issue 8 §3 and §4: PostgreSQL stalled (accepting, not answering) and cut, through a proxy in
// this process; the shared server is never stopped.
const skipped = await postgresUnavailableReason();

describe.skipIf(skipped !== undefined)(
  `fault: PostgreSQL stalled or cut${skipped ? ` — SKIPPED: ${skipped}` : ''}`,
  () => {
    let proxy: TcpProxy;
    let database: TestDatabase;
    let a: BrokerDomain;
    let agent: Agent;
    const issued: string[] = [];

    beforeAll(async () => {
      proxy = await TcpProxy.start(5432);
      database = await createTestDatabase('postgres');
      const schema = database.config.type === 'postgres' ? database.config.schema : undefined;
      a = await startBrokerDomain({
        kind: 'postgres',
        configOverrides: {
          database: {
            type: 'postgres',
            url: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
            schema,
            connectTimeoutMs: STATEMENT_MS,
            acquireTimeoutMs: STATEMENT_MS,
            statementTimeoutMs: STATEMENT_MS,
            retryAfterSeconds: 2,
          },
          clients: [secretClient('agent', ['read'])],
        },
      });
      agent = await createAgent();
    });
    afterAll(async () => {
      await a?.close();
      await database?.drop();
      await proxy?.close();
    });

    async function token(): Promise<TokenAnswer> {
      const answer = await clientCredentials(a, secretAuth('agent'), agent);
      if (answer.status === 200) {
        issued.push(String(answer.body.access_token));
      }
      return answer;
    }

    function expectUnavailable(answer: TokenAnswer): void {
      expect(answer.status, JSON.stringify(answer.body)).toBe(503);
      expect(answer.body.error).toBe('temporarily_unavailable');
      expect(answer.headers.get('retry-after')).toBe('2');
      expect(answer.body.access_token).toBeUndefined();
    }

    async function recovers(): Promise<void> {
      const deadline = Date.now() + 20_000;
      let last: TokenAnswer | undefined;
      while (Date.now() < deadline) {
        last = await token();
        if (last.status === 200) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(last?.status, JSON.stringify(last?.body)).toBe(200);
      expect((await getJson(`${a.url}/health/ready`)).status).toBe(200);
    }

    it('stalled: 503 + Retry-After within the timeout, readiness 503, recovery without restart', async () => {
      expect((await token()).status).toBe(200);
      proxy.pause();
      const answers = await Promise.all([timed(token), timed(token), timed(token)]);
      for (const { value, ms } of answers) {
        expectUnavailable(value);
        expect(ms).toBeLessThan(ANSWER_BOUND_MS);
      }
      const ready = await timed(() => getJson(`${a.url}/health/ready`));
      expect(ready.value.status).toBe(503);
      expect(ready.value.body).toMatchObject({ error: { database: { status: 'down' } } });
      expect(ready.ms).toBeLessThan(ANSWER_BOUND_MS);
      proxy.restore();
      await recovers();
    });

    it('cut: 503 + Retry-After, readiness 503, recovery without restart; every 200 recorded', async () => {
      proxy.cut();
      const answers = await Promise.all([timed(token), timed(token)]);
      for (const { value, ms } of answers) {
        expectUnavailable(value);
        expect(ms).toBeLessThan(ANSWER_BOUND_MS);
      }
      expect((await getJson(`${a.url}/health/ready`)).status).toBe(503);
      proxy.restore();
      await recovers();
      expect(await unrecordedTokens(a, issued)).toEqual([]);
    });
  },
);
