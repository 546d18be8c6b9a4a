import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
import { getFreePort, startBrokerDomain, type BrokerDomain } from './support/index.js';
import {
  clientCredentials,
  exchange,
  expectError,
  secretAuth,
  secretClient,
  type TokenAnswer,
} from './token-helpers.js';

const ALLOWED = 'https://allowed.example';
const FORBIDDEN = 'https://forbidden-for-p.example';

function issued(answer: TokenAnswer): string {
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.access_token as string;
}

// Issue 13 §1: Q holds a chain from peer P to P's policy on every exchange at Q, including
// after Q → Q hops, which keep P's link in the chain.
describe('peer policy follows a chain through same-domain hops', () => {
  let p: BrokerDomain;
  let q: BrokerDomain;
  let agent: Agent;
  const agentAtP = secretAuth('agent-p');
  const agentAtQ = secretAuth('agent-q');

  beforeAll(async () => {
    const [pp, pq] = await Promise.all([getFreePort(), getFreePort()]);
    const [ip, iq] = [pp, pq].map((port) => `http://127.0.0.1:${port}`);
    p = await startBrokerDomain({
      issuerPort: pp,
      configOverrides: {
        clients: [secretClient('agent-p', ['read'])],
        peers: [{ issuer: iq, discover: true, allowedScopes: ['read'], allowedAudiences: [] }],
      },
    });
    q = await startBrokerDomain({
      issuerPort: pq,
      configOverrides: {
        clients: [secretClient('agent-q', ['read'])],
        peers: [
          {
            issuer: ip,
            discover: true,
            allowedScopes: ['read'],
            allowedAudiences: [ALLOWED],
            maxChainDepth: 3,
          },
        ],
        policy: { audiences: [ALLOWED, FORBIDDEN] },
      },
    });
    agent = await createAgent();
  });
  afterAll(async () => {
    await Promise.all([p?.close(), q?.close()]);
  });

  async function chainFromP(): Promise<string> {
    return issued(await clientCredentials(p, agentAtP, agent, { audience: q.issuer }));
  }

  it("refuses P's chain at Q for an audience P's policy does not allow", async () => {
    expectError(
      await exchange(q, agentAtQ, agent, await chainFromP(), { audience: FORBIDDEN }),
      'invalid_target',
      { description: /presenting peer/ },
    );
  });

  it('refuses the forbidden audience after a Q → Q hop too', async () => {
    const atQ = issued(await exchange(q, agentAtQ, agent, await chainFromP()));
    expectError(
      await exchange(q, agentAtQ, agent, atQ, { audience: FORBIDDEN }),
      'invalid_target',
      { description: /presenting peer or an earlier one/ },
    );
    issued(await exchange(q, agentAtQ, agent, atQ, { audience: ALLOWED }));
  });

  it("holds P's depth cap of 3 across Q → Q hops", async () => {
    const two = issued(await exchange(q, agentAtQ, agent, await chainFromP()));
    const three = issued(await exchange(q, agentAtQ, agent, two));
    expectError(await exchange(q, agentAtQ, agent, three), 'invalid_grant', {
      description: /maximum depth of 3/,
    });
  });
});
