import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS_TOKEN,
  type DelegatedTokenClaims,
} from '@baton/chain/protocol';
import { createResourceServerApp } from '../apps/resource-server/src/bootstrap.js';
import { parseResourceServerConfig } from '../apps/resource-server/src/config/parse-resource-server-config.js';
import {
  agentFromKeys,
  decodePayload,
  type Agent,
} from '../libs/chain/test/fixtures/federation.js';
import {
  getFreePort,
  startBrokerDomain,
  type BrokerDomain,
  type RawConfig,
} from './support/index.js';
import { keyClient, postToken, type Form, type KeyClient } from './token-helpers.js';

// docs/federation.md's configuration blocks, exactly as written, with the example URLs pointed
// at loopback ports, SQLite instead of PostgreSQL, and the test agent's key in place of the
// example key: Alpha's and Beta's brokers and Beta's partner API run from them, and the
// journey the page describes goes through.

const DOC = readFileSync(new URL('../docs/federation.md', import.meta.url), 'utf8');

/** The ```yaml block whose first line is `# federation: <name>`. */
function block(name: string): RawConfig {
  const blocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  const found = blocks.find((text) => text.startsWith(`# federation: ${name}\n`));
  if (found === undefined) {
    throw new Error(`docs/federation.md has no yaml block "# federation: ${name}"`);
  }
  return parseYaml(found) as RawConfig;
}

function retarget(value: unknown, urls: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    return urls.get(value) ?? value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => retarget(item, urls));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, retarget(v, urls)]));
  }
  return value;
}

/** The doc's broker block, runnable here: loopback URLs, no database/listen, the test key. */
function brokerOverrides(name: string, urls: ReadonlyMap<string, string>, jwk: object): RawConfig {
  const { listen: _listen, database: _database, ...raw } = retarget(block(name), urls) as RawConfig;
  const clients = (raw.clients as RawConfig[]).map((c) => ({ ...c, jwks: { keys: [jwk] } }));
  return { ...raw, clients };
}

let alpha: BrokerDomain;
let beta: BrokerDomain;
let api: INestApplication;
let apiUrl: string;
let client: KeyClient;
let agent: Agent;

beforeAll(async () => {
  const [pa, pb, papi] = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
  apiUrl = `http://127.0.0.1:${papi}`;
  const urls = new Map([
    ['https://as.alpha.example', `http://127.0.0.1:${pa}`],
    ['https://as.beta.example', `http://127.0.0.1:${pb}`],
    ['https://api.beta.example', apiUrl],
  ]);
  client = await keyClient('procurement-agent', ['orders:read']);
  agent = await agentFromKeys(client.privateKey, client.publicJwk, 'ES256');
  const env = { BATON_KEK: randomBytes(32).toString('base64url') };
  alpha = await startBrokerDomain({
    issuerPort: pa,
    env,
    configOverrides: brokerOverrides('alpha broker', urls, client.publicJwk),
  });
  beta = await startBrokerDomain({
    issuerPort: pb,
    env,
    configOverrides: brokerOverrides('beta broker', urls, client.publicJwk),
  });
  const apiRaw = retarget(block('beta partner api'), urls) as RawConfig;
  const apiConfig = parseResourceServerConfig(
    { ...apiRaw, listen: { host: '127.0.0.1', port: papi } },
    'docs/federation.md',
  );
  api = await createResourceServerApp(apiConfig, { logger: false });
  await api.listen(papi, '127.0.0.1');
});

afterAll(async () => {
  await api?.close();
  await Promise.all([alpha?.close(), beta?.close()]);
});

async function token(domain: BrokerDomain, form: Form): Promise<string> {
  const answer = await postToken(
    domain.url,
    {
      ...form,
      client_id: client.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await client.assertion(domain.issuer),
    },
    { dpop: await agent.proof({ method: 'POST', url: `${domain.issuer}/token` }) },
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.access_token as string;
}

describe('docs/federation.md, as written', () => {
  it('runs in production mode from the documented blocks', () => {
    expect([alpha.config.mode, beta.config.mode]).toEqual(['production', 'production']);
    expect(beta.config.peers.map((p) => p.issuer)).toEqual([alpha.issuer]);
  });

  it('carries the agent from Alpha through Beta to Beta’s partner API', async () => {
    const t0 = await token(alpha, {
      grant_type: GRANT_TYPE_CLIENT_CREDENTIALS,
      scope: 'orders:read',
    });
    const exchange = (subject: string, audience?: string): Form => ({
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
      subject_token: subject,
      subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
      ...(audience === undefined ? {} : { audience }),
    });
    const t1 = await token(alpha, exchange(t0, beta.issuer));
    const t2 = await token(beta, exchange(t1));
    expect(decodePayload<DelegatedTokenClaims>(t2)).toMatchObject({
      iss: beta.issuer,
      aud: beta.issuer,
      scope: 'orders:read',
    });
    const url = `${apiUrl}/api/orders`;
    const orders = await fetch(url, {
      headers: {
        authorization: `DPoP ${t2}`,
        dpop: await agent.proof({ method: 'GET', url, accessToken: t2 }),
      },
    });
    expect(orders.status).toBe(200);
    const body = (await orders.json()) as { requestedBy: { route: string[] } };
    expect(body.requestedBy.route).toEqual([alpha.issuer, alpha.issuer, beta.issuer]);
  });

  it('refuses, as the page says, an audience missing from Alpha’s policy.audiences', async () => {
    const t0 = await token(alpha, { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS });
    expect(decodePayload<DelegatedTokenClaims>(t0).scope).toBe('orders:read');
    const refused = await postToken(
      alpha.url,
      {
        grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
        subject_token: t0,
        subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
        audience: 'https://elsewhere.example',
        client_id: client.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await client.assertion(alpha.issuer),
      },
      { dpop: await agent.proof({ method: 'POST', url: `${alpha.issuer}/token` }) },
    );
    expect([refused.status, refused.body.error]).toEqual([400, 'invalid_target']);
  });
});
