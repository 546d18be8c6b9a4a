import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import {
  CLIENT_ASSERTION_TYPE_JWT_BEARER,
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
} from '@baton/chain/protocol';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
import { BrokerMetrics } from '../apps/broker/src/observability/broker-metrics.js';
import { startBrokerDomain, testLogs, type BrokerDomain } from './support/index.js';
import {
  clientCredentials,
  keyClient,
  postToken,
  proofFor,
  secretAuth,
  secretClient,
  SECRET,
  type Form,
  type KeyClient,
  expectError,
} from './token-helpers.js';

describe('token endpoint: client authentication and request refusals', () => {
  let a: BrokerDomain;
  let agent: Agent;
  let keyed: KeyClient;
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  beforeAll(async () => {
    keyed = await keyClient('keyed', ['read']);
    a = await startBrokerDomain({
      configOverrides: {
        clients: [
          secretClient('agent', ['read', 'write']),
          secretClient('basic', ['read'], 'client_secret_basic'),
          { ...secretClient('exchanger', ['read']), grantTypes: [GRANT_TYPE_TOKEN_EXCHANGE] },
          keyed.config,
        ],
      },
    });
    agent = await createAgent();
  });
  afterAll(() => a?.close());

  const ccForm = (auth: Form) => ({ grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...auth });
  const withAssertion = (assertion: string) =>
    ccForm({
      client_id: keyed.clientId,
      client_assertion_type: CLIENT_ASSERTION_TYPE_JWT_BEARER,
      client_assertion: assertion,
    });

  it('accepts client_secret_basic and private_key_jwt (aud = issuer or token endpoint)', async () => {
    const viaBasic = await postToken(a.url, ccForm({}), {
      dpop: await proofFor(agent, a.issuer),
      headers: { authorization: basic('basic', SECRET) },
    });
    expect(viaBasic.status, JSON.stringify(viaBasic.body)).toBe(200);
    for (const aud of [a.issuer, `${a.issuer}/token`]) {
      const answer = await postToken(a.url, withAssertion(await keyed.assertion(aud)), {
        dpop: await proofFor(agent, a.issuer),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
  });

  it('refuses a wrong client secret with 401 invalid_client and WWW-Authenticate', async () => {
    const answer = await clientCredentials(
      a,
      secretAuth('agent', 'wrong-secret-0123456789'),
      agent,
    );
    expectError(answer, 'invalid_client', { status: 401 });
    expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('refuses an unknown client and a wrong Basic secret with 401 invalid_client', async () => {
    expectError(await clientCredentials(a, secretAuth('nobody'), agent), 'invalid_client', {
      status: 401,
    });
    const answer = await postToken(a.url, ccForm({}), {
      dpop: await proofFor(agent, a.issuer),
      headers: { authorization: basic('basic', 'nope') },
    });
    expectError(answer, 'invalid_client', { status: 401 });
  });

  it('refuses client authentication first, then the grant type, then the DPoP proof', async () => {
    const badProof = { dpop: 'not.a.proof' };
    const post = (auth: Form) => postToken(a.url, ccForm(auth), badProof);
    expectError(await post(secretAuth('agent', 'wrong-secret-0123456789')), 'invalid_client', {
      status: 401,
    });
    expectError(await post(secretAuth('exchanger')), 'unauthorized_client');
    expectError(await post(secretAuth('agent')), 'invalid_dpop_proof');
  });

  it('refuses a client using a method it is not registered for', async () => {
    expectError(await clientCredentials(a, secretAuth('basic'), agent), 'invalid_client', {
      status: 401,
    });
  });

  it('refuses a reused client assertion jti', async () => {
    const assertion = await keyed.assertion(a.issuer);
    expect(
      (await postToken(a.url, withAssertion(assertion), { dpop: await proofFor(agent, a.issuer) }))
        .status,
    ).toBe(200);
    expectError(
      await postToken(a.url, withAssertion(assertion), { dpop: await proofFor(agent, a.issuer) }),
      'invalid_client',
      { status: 401 },
    );
  });

  it('refuses client assertions with a wrong aud, a long lifetime, iss ≠ sub, or no jti', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const assertion of [
      await keyed.assertion('http://127.0.0.1:1/elsewhere'),
      await keyed.assertion(a.issuer, { exp: now + 86_400 }),
      await keyed.assertion(a.issuer, { sub: 'agent' }),
      await keyed.assertion(a.issuer, { jti: undefined }),
    ]) {
      expectError(
        await postToken(a.url, withAssertion(assertion), { dpop: await proofFor(agent, a.issuer) }),
        'invalid_client',
        { status: 401 },
      );
    }
  });

  it('refuses an HS256 client assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({
      iss: keyed.clientId,
      sub: keyed.clientId,
      aud: a.issuer,
      jti: 'hs',
      iat: now,
      exp: now + 60,
    })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode(SECRET.padEnd(32, 'x')));
    expectError(
      await postToken(a.url, withAssertion(assertion), { dpop: await proofFor(agent, a.issuer) }),
      'invalid_client',
      { status: 401 },
    );
  });

  it('refuses two client authentication methods in one request', async () => {
    const answer = await postToken(a.url, ccForm(secretAuth('agent')), {
      dpop: await proofFor(agent, a.issuer),
      headers: { authorization: basic('basic', SECRET) },
    });
    expectError(answer, 'invalid_request');
  });

  it('refuses repeated form parameters', async () => {
    const dpop = await proofFor(agent, a.issuer);
    expectError(
      await postToken(
        a.url,
        {
          ...ccForm(secretAuth('agent')),
          grant_type: [GRANT_TYPE_CLIENT_CREDENTIALS, GRANT_TYPE_CLIENT_CREDENTIALS],
        },
        { dpop },
      ),
      'invalid_request',
    );
    expectError(
      await postToken(
        a.url,
        { ...ccForm(secretAuth('agent')), scope: ['read', 'write'] },
        { dpop },
      ),
      'invalid_request',
    );
    expectError(
      await postToken(
        a.url,
        { ...ccForm(secretAuth('agent')), 'scope[x]': 'read' },
        {
          dpop,
          body: `grant_type=${GRANT_TYPE_CLIENT_CREDENTIALS}&client_id=agent&client_secret=${SECRET}&scope[x]=read`,
        },
      ),
      'invalid_request',
    );
  });

  it('refuses a missing or unsupported grant_type', async () => {
    const dpop = await proofFor(agent, a.issuer);
    expectError(await postToken(a.url, secretAuth('agent'), { dpop }), 'invalid_request');
    expectError(
      await postToken(a.url, { ...secretAuth('agent'), grant_type: 'password' }, { dpop }),
      'unsupported_grant_type',
    );
  });

  it('answers JSON bodies, bad JSON and huge bodies with 4xx JSON, never 500', async () => {
    const json = await postToken(
      a.url,
      {},
      {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      },
    );
    expectError(json, 'invalid_request');
    const broken = await postToken(
      a.url,
      {},
      { headers: { 'content-type': 'application/json' }, body: '{"grant_type":' },
    );
    expectError(broken, 'invalid_request');
    const huge = await postToken(
      a.url,
      {},
      { body: `grant_type=client_credentials&scope=${'a'.repeat(2_000_000)}` },
    );
    expectError(huge, 'invalid_request', { status: 413 });
    const noType = await postToken(
      a.url,
      {},
      { headers: { 'content-type': 'text/plain' }, body: 'grant_type=client_credentials' },
    );
    expectError(noType, 'invalid_request');
  });

  it('refuses a scope the client is not allowed and a target that is not an absolute URI or not known', async () => {
    expectError(
      await clientCredentials(a, secretAuth('agent'), agent, { scope: 'read admin' }),
      'invalid_scope',
    );
    expectError(
      await clientCredentials(a, secretAuth('agent'), agent, { resource: 'relative/path' }),
      'invalid_target',
    );
    expectError(
      await clientCredentials(a, secretAuth('agent'), agent, {
        resource: 'https://api.example/#frag',
      }),
      'invalid_target',
    );
    expectError(
      await clientCredentials(a, secretAuth('agent'), agent, {
        audience: 'https://unknown.example',
      }),
      'invalid_target',
    );
  });

  it('returns no token and a server_error when the issuance record cannot be written', async () => {
    const dataSource = a.app.get(DataSource);
    await dataSource.query(
      `CREATE TRIGGER refuse_record BEFORE INSERT ON issued_token
       BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
    );
    try {
      const answer = await clientCredentials(a, secretAuth('agent'), agent);
      expectError(answer, 'server_error', { status: 500 });
      expect(answer.body.error_description).toMatch(/^internal error [0-9a-f-]{36}$/);
      // The fault is logged (to the test's capture, not the runner's output) under its error id,
      // and counted as a database error.
      const errorId = String(answer.body.error_description).slice('internal error '.length);
      const logged = testLogs.records().filter((r) => r.level === 'error');
      expect(logged.some((r) => String(r.msg).includes(`server_error ${errorId}`))).toBe(true);
      const counted = await a.app.get(BrokerMetrics).databaseErrors.get();
      expect(counted.values.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThanOrEqual(1);
    } finally {
      await dataSource.query('DROP TRIGGER refuse_record');
    }
    expect((await clientCredentials(a, secretAuth('agent'), agent)).status).toBe(200);
  });
});
