import type { INestApplication } from '@nestjs/common';
import { exportJWK } from 'jose';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DelegatedTokenClaims } from '@baton/chain/protocol';
import { demoKeyEncryptionKey, decryptPrivateKey } from '../apps/broker/src/keys/key-encryption.js';
import { SigningKeyEntity } from '../apps/broker/src/keys/signing-key.entity.js';
import { createResourceServerApp } from '../apps/resource-server/src/bootstrap.js';
import { parseResourceServerConfig } from '../apps/resource-server/src/config/parse-resource-server-config.js';
import { createAgent, decodePayload, type Agent } from '../libs/chain/test/fixtures/federation.js';
import {
  getFreePort,
  LogCapture,
  startBrokerDomain,
  type BrokerDomain,
  type LogRecord,
} from './support/index.js';
import {
  GRANTS,
  keyClient,
  postToken,
  SECRET,
  secretAuth,
  secretClient,
  type Form,
  type KeyClient,
  type TokenAnswer,
} from './token-helpers.js';
import {
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS_TOKEN,
} from '@baton/chain/protocol';

// The whole journey A → B → C → partner API with every app logging at debug level into one
// capture and serving metrics on its own port. Every value that must never be logged (tokens,
// links, DPoP proofs, client secrets and assertions, private keys) is collected as it is made,
// then every captured line is searched for it; afterwards the metrics are scraped over HTTP.

const SCOPE = 'orders:read';
const logs = new LogCapture();
/** Everything that must never appear in a log line. */
const secrets = new Set<string>();

let a: BrokerDomain;
let b: BrokerDomain;
let c: BrokerDomain;
let rs: INestApplication;
let rsUrl: string;
let metricsUrl: Record<'a' | 'b' | 'rs', string>;
let agent: Agent;
let client: KeyClient;

function keep(...values: string[]): void {
  for (const value of values) {
    secrets.add(value);
    // A JWS signature on its own is as telling as the whole token.
    const signature = value.split('.')[2];
    if (signature !== undefined && signature.length >= 40) {
      secrets.add(signature);
    }
  }
}

async function proof(url: string, method = 'POST', accessToken?: string): Promise<string> {
  const value = await agent.proof({ method, url, accessToken });
  keep(value);
  return value;
}

async function assertionAuth(domain: BrokerDomain): Promise<Form> {
  const assertion = await client.assertion(domain.issuer);
  keep(assertion);
  return {
    client_id: client.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  };
}

function keepIssued(answer: TokenAnswer): string {
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const token = answer.body.access_token as string;
  keep(token, ...decodePayload<DelegatedTokenClaims>(token).baton.links);
  return token;
}

function exchangeForm(subjectToken: string, audience?: string): Form {
  return {
    grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
    subject_token: subjectToken,
    subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
    scope: SCOPE,
    ...(audience === undefined ? {} : { audience }),
  };
}

async function keepDomainPrivateKeys(domain: BrokerDomain): Promise<void> {
  const rows = await domain.app.get(DataSource).getRepository(SigningKeyEntity).find();
  for (const row of rows) {
    const jwk = JSON.parse(
      decryptPrivateKey(row.privateKey, demoKeyEncryptionKey(domain.issuer), row.kid),
    ) as { d: string };
    secrets.add(jwk.d);
  }
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one sample line `name{labels} value`, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  const [pa, pb, pc, prs, ma, mb, mrs] = await Promise.all(
    Array.from({ length: 7 }, () => getFreePort()),
  );
  const [ia, ib, ic] = [pa, pb, pc].map((port) => `http://127.0.0.1:${port}`);
  rsUrl = `http://127.0.0.1:${prs}`;
  metricsUrl = {
    a: `http://127.0.0.1:${ma}/metrics`,
    b: `http://127.0.0.1:${mb}/metrics`,
    rs: `http://127.0.0.1:${mrs}/metrics`,
  };
  agent = await createAgent();
  client = await keyClient('agent', [SCOPE]);
  const peer = (issuer: string, allowedAudiences: string[], extra = {}) => ({
    issuer,
    discover: true,
    allowedScopes: [SCOPE],
    allowedAudiences,
    ...extra,
  });
  const observed = (port?: number) => ({
    logging: { level: 'debug' },
    ...(port === undefined ? {} : { metrics: { listen: { host: '127.0.0.1', port } } }),
  });
  a = await startBrokerDomain({
    issuerPort: pa,
    logs,
    configOverrides: { ...observed(ma), clients: [client.config], peers: [peer(ib, [ic])] },
  });
  b = await startBrokerDomain({
    issuerPort: pb,
    logs,
    configOverrides: {
      ...observed(mb),
      clients: [secretClient('agent-b', [SCOPE], 'client_secret_basic')],
      peers: [peer(ia, [ic]), peer(ic, [])],
    },
  });
  c = await startBrokerDomain({
    issuerPort: pc,
    logs,
    configOverrides: {
      ...observed(),
      clients: [{ ...secretClient('agent-c', [SCOPE]), grantTypes: GRANTS }],
      peers: [peer(ib, []), peer(ia, [], { roles: ['upstream'] })],
    },
  });
  const rsConfig = parseResourceServerConfig(
    {
      audience: ic,
      publicBaseUrl: rsUrl,
      listen: { host: '127.0.0.1', port: prs },
      trust: {
        issuers: [
          { issuer: ia, roles: ['upstream'], discover: true },
          { issuer: ib, roles: ['present', 'upstream'], discover: true },
        ],
      },
      ...observed(mrs),
    },
    'test resource server',
  );
  rs = await createResourceServerApp(rsConfig, { logDestination: logs });
  await rs.listen(prs, '127.0.0.1');
  secrets.add(SECRET);
  secrets.add(Buffer.from(`agent-b:${SECRET}`).toString('base64'));
  secrets.add((await exportJWK(agent.privateKey)).d!);
  secrets.add((await exportJWK(client.privateKey)).d!);
});

afterAll(async () => {
  await rs?.close();
  await Promise.all([a?.close(), b?.close(), c?.close()]);
});

describe('logs and metrics over the whole journey A → B → C → partner API', () => {
  let t2: string;
  let replayedProof: string;

  it('runs the journey, with refusals along the way', async () => {
    const firstProof = await proof(`${a.issuer}/token`);
    replayedProof = firstProof;
    const t0 = keepIssued(
      await postToken(
        a.url,
        { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, scope: SCOPE, ...(await assertionAuth(a)) },
        { dpop: firstProof, headers: { 'x-request-id': 'journey-step-0' } },
      ),
    );
    const t1 = keepIssued(
      await postToken(
        a.url,
        { ...exchangeForm(t0, b.issuer), ...(await assertionAuth(a)) },
        { dpop: await proof(`${a.issuer}/token`) },
      ),
    );
    const basic = `Basic ${Buffer.from(`agent-b:${SECRET}`).toString('base64')}`;
    t2 = keepIssued(
      await postToken(b.url, exchangeForm(t1, c.issuer), {
        dpop: await proof(`${b.issuer}/token`),
        headers: { authorization: basic },
      }),
    );
    keepIssued(
      await postToken(
        c.url,
        { ...exchangeForm(t2), ...secretAuth('agent-c') },
        { dpop: await proof(`${c.issuer}/token`) },
      ),
    );
    const ordersUrl = `${rsUrl}/api/orders`;
    const resourceProof = await proof(ordersUrl, 'GET', t2);
    const orders = await fetch(ordersUrl, {
      headers: { authorization: `DPoP ${t2}`, dpop: resourceProof },
    });
    expect(orders.status).toBe(200);

    // Refusals: a replayed proof, a replayed assertion, a wrong secret, a replayed resource proof.
    const replayedAssertion = await assertionAuth(a);
    const once = await postToken(
      a.url,
      { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...replayedAssertion },
      { dpop: await proof(`${a.issuer}/token`) },
    );
    keepIssued(once);
    const replays = [
      await postToken(
        a.url,
        { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...(await assertionAuth(a)) },
        { dpop: replayedProof, headers: { 'x-request-id': 'bad id\twith tab' } },
      ),
      await postToken(
        a.url,
        { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...replayedAssertion },
        { dpop: await proof(`${a.issuer}/token`) },
      ),
    ];
    expect(replays.map((r) => [r.status, r.body.error])).toEqual([
      [400, 'invalid_dpop_proof'],
      [401, 'invalid_client'],
    ]);
    const wrongSecret = await postToken(b.url, exchangeForm(t1, c.issuer), {
      dpop: await proof(`${b.issuer}/token`),
      headers: {
        authorization: `Basic ${Buffer.from('agent-b:not-the-secret-at-all').toString('base64')}`,
      },
    });
    secrets.add('not-the-secret-at-all');
    expect(wrongSecret.status).toBe(401);
    const replayedAtResource = await fetch(ordersUrl, {
      headers: { authorization: `DPoP ${t2}`, dpop: resourceProof },
    });
    expect(replayedAtResource.status).toBe(401);
    expect(replayedAtResource.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(replays[0].headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    for (const domain of [a, b, c]) {
      await keepDomainPrivateKeys(domain);
    }
  });

  it('never logs a token, link, proof, secret, assertion or private key', () => {
    expect(logs.lines.length).toBeGreaterThan(30);
    expect(secrets.size).toBeGreaterThan(40);
    for (const line of logs.lines) {
      for (const secret of secrets) {
        expect(line.includes(secret), `a log line contains a secret: ${line.slice(0, 200)}`).toBe(
          false,
        );
      }
    }
  });

  it('writes JSON lines without colours, each request line with its request id', () => {
    const records = logs.records();
    for (const [index, record] of records.entries()) {
      expect(typeof record.level).toBe('string');
      expect(typeof record.time).toBe('string');
      expect(['baton-broker', 'baton-resource-server']).toContain(record.service);
      expect(logs.lines[index]).not.toContain('\u001b[');
    }
    const requestLines = records.filter(
      (r) => r.req !== undefined || ['TokenEndpoint', 'Verification'].includes(String(r.context)),
    );
    expect(requestLines.length).toBeGreaterThan(20);
    for (const record of requestLines) {
      expect(record.reqId, JSON.stringify(record)).toEqual(expect.any(String));
    }
    const step0 = records.filter((r) => r.reqId === 'journey-step-0');
    expect(step0.map((r) => r.msg)).toEqual(['token issued', 'request completed']);
  });

  it('logs one line per token request: grant, client, outcome and the rule that refused', () => {
    const token = (r: LogRecord) => r.context === 'TokenEndpoint';
    const lines = logs.records().filter(token);
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatchObject({
      msg: 'token issued',
      grant: GRANT_TYPE_CLIENT_CREDENTIALS,
      client: 'agent',
      outcome: 'issued',
    });
    expect(lines[0].jti).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(lines.filter((l) => l.outcome === 'issued')).toHaveLength(5);
    expect(lines.filter((l) => l.outcome === 'refused')).toEqual([
      expect.objectContaining({
        msg: 'token refused',
        grant: GRANT_TYPE_CLIENT_CREDENTIALS,
        client: 'agent',
        status: 400,
        error: 'invalid_dpop_proof',
        description: 'the DPoP proof was already used',
        check: 'ERR_DPOP_REPLAY',
      }),
      expect.objectContaining({
        client: 'agent',
        error: 'invalid_client',
        description: 'the client assertion was already used',
      }),
      expect.objectContaining({
        grant: GRANT_TYPE_TOKEN_EXCHANGE,
        client: 'agent-b',
        status: 401,
        error: 'invalid_client',
        check: 'wrong secret',
      }),
    ]);
    const verified = logs.records().filter((r) => r.context === 'Verification');
    expect(verified.map((r) => [r.msg, r.code])).toEqual([
      ['request verified', undefined],
      ['request refused', 'ERR_DPOP_REPLAY'],
    ]);
  });

  it('counts token requests, refusals, replays, latency, key fetches and rotations', async () => {
    const atA = await scrape(metricsUrl.a);
    const cc = `grant="${GRANT_TYPE_CLIENT_CREDENTIALS}"`;
    const tx = `grant="${GRANT_TYPE_TOKEN_EXCHANGE}"`;
    expect(sample(atA, `baton_token_requests_total{${cc},outcome="issued"}`)).toBe(2);
    expect(sample(atA, `baton_token_requests_total{${tx},outcome="issued"}`)).toBe(1);
    expect(sample(atA, `baton_token_requests_total{${cc},outcome="invalid_dpop_proof"}`)).toBe(1);
    expect(
      sample(atA, 'baton_token_refusals_total{error="invalid_dpop_proof",check="ERR_DPOP_REPLAY"}'),
    ).toBe(1);
    expect(sample(atA, 'baton_replay_refusals_total{what="dpop_proof"}')).toBe(1);
    expect(sample(atA, 'baton_replay_refusals_total{what="client_assertion"}')).toBe(1);
    expect(sample(atA, `baton_token_request_duration_seconds_count{${cc},outcome="issued"}`)).toBe(
      2,
    );
    expect(sample(atA, 'baton_signing_key_rotations_total')).toBe(1);
    expect(atA).toContain('# TYPE baton_database_errors_total counter');

    const atB = await scrape(metricsUrl.b);
    expect(sample(atB, `baton_token_requests_total{${tx},outcome="issued"}`)).toBe(1);
    expect(sample(atB, `baton_token_requests_total{${tx},outcome="invalid_client"}`)).toBe(1);
    expect(
      sample(atB, 'baton_key_source_events_total{resource="jwks",outcome="fetched"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(atB, 'baton_key_source_events_total{resource="jwks",outcome="cache_hit"}'),
    ).toBeGreaterThanOrEqual(1);

    const atRs = await scrape(metricsUrl.rs);
    expect(sample(atRs, 'baton_verifications_total{outcome="accepted",code="none"}')).toBe(1);
    expect(
      sample(atRs, 'baton_verifications_total{outcome="refused",code="ERR_DPOP_REPLAY"}'),
    ).toBe(1);
    expect(sample(atRs, 'baton_verification_duration_seconds_count{outcome="accepted"}')).toBe(1);
    expect(
      sample(atRs, 'baton_key_source_events_total{resource="jwks",outcome="fetched"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('serves metrics only on the metrics listener', async () => {
    expect((await fetch(`${a.url}/metrics`)).status).toBe(404);
    expect((await fetch(metricsUrl.a.replace('/metrics', '/other'))).status).toBe(404);
  });
});
