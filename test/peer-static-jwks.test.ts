import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
import { getFreePort, startBrokerDomain, type BrokerDomain } from './support/index.js';
import { clientCredentials, exchange, secretAuth, secretClient } from './token-helpers.js';

// A peer configured with a static JWKS (no discovery) is still a Baton broker: its hop proofs
// are checked against the token endpoint it serves and checks itself, `<issuer>/token`.

let a: BrokerDomain;
let b: BrokerDomain;
let agent: Agent;

beforeAll(async () => {
  const [pa, pb] = await Promise.all([getFreePort(), getFreePort()]);
  const [ia, ib] = [pa, pb].map((port) => `http://127.0.0.1:${port}`);
  a = await startBrokerDomain({
    issuerPort: pa,
    configOverrides: {
      clients: [secretClient('agent', ['read'])],
      peers: [{ issuer: ib, discover: true, allowedScopes: ['read'], allowedAudiences: [] }],
    },
  });
  const jwks = (await (await fetch(`${ia}/jwks`)).json()) as Record<string, unknown>;
  b = await startBrokerDomain({
    issuerPort: pb,
    configOverrides: {
      clients: [secretClient('agent-b', ['read'])],
      peers: [{ issuer: ia, jwks, allowedScopes: ['read'], allowedAudiences: [] }],
    },
  });
  agent = await createAgent();
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

it("exchanges at B a chain from A, whose keys B has statically, checking A's hop proofs", async () => {
  const t0 = await clientCredentials(a, secretAuth('agent'), agent);
  expect(t0.status, JSON.stringify(t0.body)).toBe(200);
  const t1 = await exchange(a, secretAuth('agent'), agent, t0.body.access_token as string, {
    audience: b.issuer,
  });
  expect(t1.status, JSON.stringify(t1.body)).toBe(200);
  const t2 = await exchange(b, secretAuth('agent-b'), agent, t1.body.access_token as string);
  expect(t2.status, JSON.stringify(t2.body)).toBe(200);
  expect(t2.body.issued_token_type).toBe('urn:ietf:params:oauth:token-type:access_token');
});
