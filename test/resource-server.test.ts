import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceServerApp } from '../apps/resource-server/src/bootstrap.js';
import { parseResourceServerConfig } from '../apps/resource-server/src/config/parse-resource-server-config.js';
import {
  createAgent,
  createFederation,
  type BuiltChain,
  type Federation,
} from '../libs/chain/test/fixtures/federation.js';

// Domain C's partner API over real HTTP on loopback. A, B and C publish RFC 8414 metadata and
// JWKS from small loopback servers; the resource server discovers their keys like in the demo.

interface Listening {
  server: Server;
  url: string;
  serve(listener: RequestListener): void;
}

async function listen(): Promise<Listening> {
  let current: RequestListener = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => current(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (listener) => (current = listener),
  };
}

function discoveryServer(issuer: string, jwks: object): RequestListener {
  return (req, res) => {
    const body =
      req.url === '/.well-known/oauth-authorization-server'
        ? { issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token` }
        : req.url === '/jwks'
          ? jwks
          : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  };
}

let domains: Record<'a' | 'b' | 'c', Listening>;
let rs: Listening;
let app: INestApplication;
let fed: Federation;
let honest: BuiltChain;
const decisions: Record<string, unknown>[] = [];

beforeAll(async () => {
  domains = { a: await listen(), b: await listen(), c: await listen() };
  rs = await listen();
  fed = await createFederation({
    domains: ['a', 'b', 'c'],
    issuers: { a: domains.a.url, b: domains.b.url, c: domains.c.url },
    resource: domains.c.url,
  });
  for (const name of ['a', 'b', 'c'] as const) {
    domains[name].serve(discoveryServer(domains[name].url, fed.domains[name].jwks));
  }
  const config = parseResourceServerConfig(
    {
      audience: domains.c.url,
      publicBaseUrl: rs.url,
      listen: { host: '127.0.0.1', port: Number(new URL(rs.url).port) },
      realm: 'partner-api',
      trust: {
        issuers: [
          { issuer: domains.a.url, roles: ['upstream'], discover: true },
          { issuer: domains.b.url, roles: ['upstream'], discover: true },
          { issuer: domains.c.url, roles: ['present'], discover: true },
        ],
      },
      dpop: { algorithms: ['ES256'] },
    },
    'test',
  );
  app = await createResourceServerApp(config, {
    logger: false,
    decisionLog: (line) => decisions.push(JSON.parse(line) as Record<string, unknown>),
  });
  await app.init();
  rs.serve(app.getHttpAdapter().getInstance() as RequestListener);
  honest = await fed.issueChain({ path: ['a', 'b', 'c'], scope: 'orders:read' });
});

afterAll(async () => {
  await app?.close();
  for (const l of [rs, ...Object.values(domains ?? {})]) {
    await new Promise((resolve) => l?.server.close(resolve));
  }
});

async function get(
  path: string,
  token?: string,
  proof: { url?: string; method?: string } = {},
): Promise<{ status: number; challenge: string | null; body: Record<string, unknown> }> {
  const url = `${rs.url}${path}`;
  const headers: Record<string, string> = {};
  if (token !== undefined) {
    headers['authorization'] = `DPoP ${token}`;
    headers['dpop'] = await fed.agent.proof({
      method: proof.method ?? 'GET',
      url: proof.url ?? url,
      accessToken: token,
    });
  }
  const res = await fetch(url, { headers });
  return {
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('resource server (domain C partner API)', () => {
  it('answers /health without credentials', async () => {
    const res = await fetch(`${rs.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('serves /api/orders to an honest A → B → C chain with the agent’s proof', async () => {
    const { status, body } = await get('/api/orders', honest.token);
    expect(status).toBe(200);
    expect((body['orders'] as unknown[]).length).toBeGreaterThan(0);
    expect(body['requestedBy']).toEqual({
      subject: 'agent',
      agentKeyThumbprint: fed.agent.jkt,
      route: [domains.a.url, domains.b.url, domains.c.url],
    });
  });

  it('echoes the verified chain on /api/whoami', async () => {
    const { status, body } = await get('/api/whoami', honest.token);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      subject: 'agent',
      agentKeyThumbprint: fed.agent.jkt,
      originIssuer: domains.a.url,
      issuer: domains.c.url,
      audience: domains.c.url,
      scope: ['orders:read'],
      depth: 3,
      route: [domains.a.url, domains.b.url, domains.c.url],
      proof: { htm: 'GET', htu: `${rs.url}/api/whoami` },
    });
    const hops = body['hops'] as { domain: string; actor: string; exchangedToken?: unknown }[];
    expect(hops.map((h) => h.actor)).toEqual(['agent', 'agent@b', 'agent@c']);
    expect(hops[0].exchangedToken).toBeUndefined();
    expect(hops[2].exchangedToken).toEqual({
      issuer: domains.b.url,
      jti: honest.linkClaims[1].jti,
    });
    expect(body['act']).toMatchObject({
      iss: domains.c.url,
      sub: 'agent@c',
      act: { iss: domains.b.url },
    });
  });

  it('writes each accepted and refused call to its decision log, never the token', async () => {
    decisions.length = 0;
    expect((await get('/api/orders', honest.token)).status).toBe(200);
    const forged = `${honest.token.slice(0, -4)}AAAA`;
    expect((await get('/api/orders', forged)).status).toBe(401);
    expect(decisions).toMatchObject([
      {
        type: 'delegation.decision',
        outcome: 'accepted',
        method: 'GET',
        route: '/api/orders',
        chain: {
          subject: 'agent',
          depth: 3,
          issuers: [domains.a.url, domains.b.url, domains.c.url],
        },
      },
      { type: 'delegation.decision', outcome: 'refused', code: 'ERR_SIGNATURE', status: 401 },
    ]);
    expect(JSON.stringify(decisions)).not.toContain(honest.token.split('.')[2]);
  });

  it('401 with a bare DPoP challenge when no token is sent', async () => {
    const { status, challenge } = await get('/api/orders');
    expect(status).toBe(401);
    expect(challenge).toBe('DPoP realm="partner-api", algs="ES256"');
  });

  it('401 invalid_token for a token whose signature does not verify', async () => {
    const [h, p] = honest.token.split('.');
    const other = await fed.issueChain({ path: ['a', 'b', 'c'], scope: 'orders:read' });
    const spliced = `${h}.${p}.${other.token.split('.')[2]}`;
    const { status, challenge, body } = await get('/api/orders', spliced);
    expect(status).toBe(401);
    expect(challenge).toMatch(
      /^DPoP realm="partner-api", error="invalid_token", error_description="[^"]+", algs="ES256"$/,
    );
    expect(body['error']).toBe('invalid_token');
  });

  it('401 invalid_token for a token meant for another audience', async () => {
    const elsewhere = await fed.issueChain({
      path: ['a', 'b', 'c'],
      audience: 'https://other.example',
    });
    const { status, challenge } = await get('/api/orders', elsewhere.token);
    expect(status).toBe(401);
    expect(challenge).toMatch(/error="invalid_token"/);
  });

  it('401 invalid_token when B, trusted only upstream here, presents a token itself', async () => {
    const fromB = await fed.issueChain({
      path: ['a', 'b'],
      audience: domains.c.url,
      scope: 'orders:read',
    });
    const { status, challenge } = await get('/api/orders', fromB.token);
    expect(status).toBe(401);
    expect(challenge).toMatch(/error="invalid_token"/);
  });

  it('401 invalid_dpop_proof for a proof made for another URL', async () => {
    const { status, challenge } = await get('/api/orders', honest.token, {
      url: `${rs.url}/api/whoami`,
    });
    expect(status).toBe(401);
    expect(challenge).toMatch(/error="invalid_dpop_proof"/);
  });

  it('401 invalid_dpop_proof for a stolen token used with another key', async () => {
    const thief = await createAgent();
    const url = `${rs.url}/api/orders`;
    const res = await fetch(url, {
      headers: {
        authorization: `DPoP ${honest.token}`,
        dpop: await thief.proof({ method: 'GET', url, accessToken: honest.token }),
      },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_dpop_proof"/);
  });

  it('401 invalid_dpop_proof for a replayed request', async () => {
    const url = `${rs.url}/api/orders`;
    const headers = {
      authorization: `DPoP ${honest.token}`,
      dpop: await fed.agent.proof({ method: 'GET', url, accessToken: honest.token }),
    };
    expect((await fetch(url, { headers })).status).toBe(200);
    const replay = await fetch(url, { headers });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('www-authenticate')).toMatch(/error="invalid_dpop_proof"/);
  });

  it('400 invalid_request for the token downgraded to Bearer', async () => {
    const url = `${rs.url}/api/orders`;
    const res = await fetch(url, {
      headers: {
        authorization: `Bearer ${honest.token}`,
        dpop: await fed.agent.proof({ method: 'GET', url, accessToken: honest.token }),
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
  });

  it('403 insufficient_scope naming orders:read for a chain without it', async () => {
    const narrow = await fed.issueChain({ path: ['a', 'b', 'c'], scope: 'profile' });
    const { status, challenge, body } = await get('/api/orders', narrow.token);
    expect(status).toBe(403);
    expect(challenge).toMatch(/error="insufficient_scope"/);
    expect(challenge).toContain('scope="orders:read"');
    expect(body['error']).toBe('insufficient_scope');
    // whoami needs no scope: the same chain is accepted there.
    expect((await get('/api/whoami', narrow.token)).status).toBe(200);
  });
});
