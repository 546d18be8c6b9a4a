import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Agent } from '../../libs/chain/test/fixtures/federation.js';
import { getFreePort, startBrokerDomain, type BrokerDomain } from '../support/index.js';
import { clientCredentials, exchange, secretAuth, secretClient } from '../token-helpers.js';
import { getJson } from './fault-helpers.js';

type Mode = 'pass' | 'slow' | 'huge' | 'garbage';

/** A's issuer URL points here: passes to A's listener, or answers slowly, hugely or with garbage. */
async function hostileFront(
  port: number,
  target: () => string,
): Promise<{ server: Server; set(mode: Mode): void }> {
  let mode: Mode = 'pass';
  const held: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (mode === 'slow') {
      held.push(response);
      return;
    }
    if (mode === 'huge') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"keys":[${'{"kty":"EC"},'.repeat(200_000)}{}]}`);
      return;
    }
    if (mode === 'garbage') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('\u0000not json at all');
      return;
    }
    void fetch(`${target()}${request.url}`).then(async (upstream) => {
      response.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'text/plain',
      });
      response.end(Buffer.from(await upstream.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    server,
    set(next) {
      mode = next;
      if (next !== 'slow') {
        for (const response of held.splice(0)) {
          response.destroy();
        }
      }
    },
  };
}

// Issue 8, also expected: a peer's metadata or JWKS that is slow, huge or garbage.
describe('fault: a peer serving slow, huge or garbage metadata and keys', () => {
  let a: BrokerDomain;
  let b: BrokerDomain;
  let c: BrokerDomain;
  let front: Awaited<ReturnType<typeof hostileFront>>;
  let agent: Agent;

  beforeAll(async () => {
    const [pa, pb, pc] = [await getFreePort(), await getFreePort(), await getFreePort()];
    const issuerA = `http://127.0.0.1:${pa}`;
    const peer = (issuer: string) => ({
      issuer,
      discover: true,
      allowedScopes: ['read'],
      allowedAudiences: [],
    });
    front = await hostileFront(pa, () => a.url);
    a = await startBrokerDomain({
      issuerPort: pa,
      listenPort: await getFreePort(),
      configOverrides: {
        clients: [secretClient('agent', ['read'])],
        peers: [peer(`http://127.0.0.1:${pb}`), peer(`http://127.0.0.1:${pc}`)],
      },
    });
    b = await startBrokerDomain({
      issuerPort: pb,
      configOverrides: { clients: [secretClient('agent-b', ['read'])], peers: [peer(issuerA)] },
    });
    c = await startBrokerDomain({
      issuerPort: pc,
      configOverrides: { clients: [secretClient('agent-c', ['read'])], peers: [peer(issuerA)] },
    });
    agent = await createAgent();
  });
  afterAll(async () => {
    front?.set('pass');
    await Promise.all([a?.close(), b?.close(), c?.close()]);
    await new Promise((resolve) => front?.server.close(resolve));
  });

  async function tokenFromA(audience: string): Promise<string> {
    const r0 = await clientCredentials(a, secretAuth('agent'), agent);
    expect(r0.status, JSON.stringify(r0.body)).toBe(200);
    const r1 = await exchange(a, secretAuth('agent'), agent, String(r0.body.access_token), {
      audience,
    });
    expect(r1.status, JSON.stringify(r1.body)).toBe(200);
    return String(r1.body.access_token);
  }

  it('cached keys keep working while the peer misbehaves; an uncached broker answers invalid_grant naming it, in bounded time', async () => {
    const first = await exchange(b, secretAuth('agent-b'), agent, await tokenFromA(b.issuer));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const forB = await tokenFromA(b.issuer);
    const forC = await tokenFromA(c.issuer);

    for (const mode of ['slow', 'huge', 'garbage'] as const) {
      front.set(mode);
      const cached = await exchange(b, secretAuth('agent-b'), agent, forB);
      expect(cached.status, `${mode}: ${JSON.stringify(cached.body)}`).toBe(200);

      const start = performance.now();
      const uncached = await exchange(c, secretAuth('agent-c'), agent, forC);
      expect(uncached.status, `${mode}: ${JSON.stringify(uncached.body)}`).toBe(400);
      expect(uncached.body.error).toBe('invalid_grant');
      expect(uncached.body.error_description).toContain(a.issuer);
      expect(performance.now() - start).toBeLessThan(20_000);
      expect((await getJson(`${c.url}/health/ready`)).status).toBe(200);
    }
  });
});
