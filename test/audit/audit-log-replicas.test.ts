import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DelegatedTokenClaims } from '@baton/chain/protocol';
import {
  createAgent,
  decodePayload,
  type Agent,
} from '../../libs/chain/test/fixtures/federation.js';
import {
  postgresUnavailableReason,
  startBrokerDomain,
  type BrokerDomain,
} from '../support/index.js';
import { clientCredentials, exchange, secretAuth, secretClient } from '../token-helpers.js';
import { eventsOf, verifyLogOf } from './audit-support.js';

const EXCHANGES = 200;
const reason = await postgresUnavailableReason();

describe.skipIf(reason !== undefined)(
  `one audit chain for two replicas sharing PostgreSQL${reason === undefined ? '' : ` — SKIPPED: ${reason}`}`,
  () => {
    let first: BrokerDomain;
    let second: BrokerDomain;
    let agent: Agent;

    beforeAll(async () => {
      first = await startBrokerDomain({
        kind: 'postgres',
        configOverrides: {
          clients: [secretClient('agent', ['read'])],
          // 200 requests at once queue for 10 pooled connections behind the chain-head lock:
          // generous deadlines and queues, so the test measures the chain, not load shedding (503).
          database: { acquireTimeoutMs: 60_000, statementTimeoutMs: 60_000 },
          rateLimits: { perSource: 10_000, perClient: 10_000, secretHashQueue: 1000 },
        },
      });
      second = await startBrokerDomain({ replicaOf: first });
      agent = await createAgent();
    });
    afterAll(async () => {
      await second?.close();
      await first?.close();
    });

    it(`${EXCHANGES} concurrent exchanges over both replicas: one event per jti, one linear chain that verifies`, async () => {
      const origin = await clientCredentials(first, secretAuth('agent'), agent);
      expect(origin.status).toBe(200);
      const t0 = origin.body.access_token as string;
      const answers = await Promise.all(
        Array.from({ length: EXCHANGES }, (_, i) =>
          exchange(i % 2 === 0 ? first : second, secretAuth('agent'), agent, t0),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(EXCHANGES).fill(200));
      const jtis = answers.map(
        (answer) => decodePayload<DelegatedTokenClaims>(answer.body.access_token as string).jti,
      );
      const issued = await eventsOf(first, 'token.issued');
      const counts = new Map<string, number>();
      for (const event of issued) {
        counts.set(event.jti!, (counts.get(event.jti!) ?? 0) + 1);
      }
      expect(jtis.every((jti) => counts.get(jti) === 1)).toBe(true);
      expect(issued).toHaveLength(EXCHANGES + 1);
      const all = await eventsOf(first);
      expect(all.map((event) => event.seq)).toEqual(all.map((_, i) => i + 1));
      expect(all.filter((event) => event.kind === 'config.loaded')).toHaveLength(2);
      expect(await verifyLogOf(second)).toMatchObject({ valid: true, events: all.length });
    }, 120_000);
  },
);
