import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRANT_TYPE_CLIENT_CREDENTIALS } from '@baton/chain/protocol';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
import {
  postgresUnavailableReason,
  startBrokerDomain,
  type BrokerDomain,
} from './support/index.js';
import {
  clientCredentials,
  exchange,
  postToken,
  proofFor,
  secretAuth,
  secretClient,
  expectError,
} from './token-helpers.js';

const form = { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...secretAuth('agent') };

describe('token endpoint DPoP refusals (RFC 9449 §4.3, §8)', () => {
  let a: BrokerDomain;
  let agent: Agent;

  beforeAll(async () => {
    a = await startBrokerDomain({
      configOverrides: { clients: [secretClient('agent', ['read', 'write'])] },
    });
    agent = await createAgent();
  });
  afterAll(() => a?.close());

  it('refuses a request without a DPoP proof', async () => {
    expectError(await postToken(a.url, form), 'invalid_dpop_proof');
  });

  it('refuses two DPoP headers', async () => {
    const p1 = await proofFor(agent, a.issuer);
    const p2 = await proofFor(agent, a.issuer);
    expectError(
      await postToken(a.url, form, { headers: { dpop: `${p1}, ${p2}` } }),
      'invalid_dpop_proof',
    );
  });

  it('refuses a replayed proof jti', async () => {
    const proof = await proofFor(agent, a.issuer);
    expect((await postToken(a.url, form, { dpop: proof })).status).toBe(200);
    expectError(await postToken(a.url, form, { dpop: proof }), 'invalid_dpop_proof', {
      description: /already used/,
    });
  });

  it('consumes no proof for a request refused before issuance', async () => {
    const proof = await proofFor(agent, a.issuer);
    expectError(
      await postToken(a.url, { ...form, scope: 'admin' }, { dpop: proof }),
      'invalid_scope',
    );
    expect((await postToken(a.url, form, { dpop: proof })).status).toBe(200);
    expectError(await postToken(a.url, form, { dpop: proof }), 'invalid_dpop_proof', {
      description: /already used/,
    });
  });

  it('issues once for a proof sent twice at the same time; the other gets the replay refusal', async () => {
    const proof = await proofFor(agent, a.issuer);
    const answers = await Promise.all([1, 2].map(() => postToken(a.url, form, { dpop: proof })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    expectError(
      answers.find((answer) => answer.status === 400)!,
      'invalid_dpop_proof',
      {
        description: /already used/,
      },
    );
  });

  it('refuses a proof for another method (htm)', async () => {
    const proof = await agent.proof({ method: 'GET', url: `${a.issuer}/token` });
    expectError(await postToken(a.url, form, { dpop: proof }), 'invalid_dpop_proof');
  });

  it('refuses a proof for another URL (htu), including the same listener under another host name', async () => {
    expectError(
      await postToken(a.url, form, {
        dpop: await agent.proof({ method: 'POST', url: `${a.issuer}/other` }),
      }),
      'invalid_dpop_proof',
    );
    const byHost = a.issuer.replace('127.0.0.1', 'localhost');
    expectError(
      await postToken(a.url, form, {
        dpop: await agent.proof({ method: 'POST', url: `${byHost}/token` }),
      }),
      'invalid_dpop_proof',
    );
  });

  it('refuses a stale proof (iat an hour ago) and one from the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectError(
      await postToken(a.url, form, { dpop: await proofFor(agent, a.issuer, { iat: now - 3600 }) }),
      'invalid_dpop_proof',
    );
    expectError(
      await postToken(a.url, form, { dpop: await proofFor(agent, a.issuer, { iat: now + 3600 }) }),
      'invalid_dpop_proof',
    );
  });

  it('refuses a proof with alg none', async () => {
    const header = base64url.encode(
      JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk: agent.publicJwk }),
    );
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({ jti: 'n1', htm: 'POST', htu: `${a.issuer}/token`, iat: now }),
    );
    expectError(
      await postToken(a.url, form, { dpop: `${header}.${payload}.` }),
      'invalid_dpop_proof',
    );
  });

  it('refuses a proof with HS256', async () => {
    const proof = await new SignJWT({
      jti: 'h1',
      htm: 'POST',
      htu: `${a.issuer}/token`,
      iat: Math.floor(Date.now() / 1000),
    })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: agent.publicJwk })
      .sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));
    expectError(await postToken(a.url, form, { dpop: proof }), 'invalid_dpop_proof');
  });

  it('refuses an exchange whose proof is made by another key than the subject token cnf', async () => {
    const t0 = (await clientCredentials(a, secretAuth('agent'), agent)).body.access_token as string;
    const thief = await createAgent();
    expectError(await exchange(a, secretAuth('agent'), thief, t0), 'invalid_grant', {
      description: /not the key the subject token is bound to/,
    });
  });
});

describe('token endpoint with dpop.requireNonce (RFC 9449 §8)', () => {
  let n: BrokerDomain;
  let agent: Agent;

  beforeAll(async () => {
    n = await startBrokerDomain({
      configOverrides: { clients: [secretClient('agent', ['read'])], dpop: { requireNonce: true } },
    });
    agent = await createAgent();
  });
  afterAll(() => n?.close());

  it('answers a proof without nonce with use_dpop_nonce and a DPoP-Nonce header', async () => {
    const answer = await postToken(n.url, form, { dpop: await proofFor(agent, n.issuer) });
    expectError(answer, 'use_dpop_nonce');
    expect(answer.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers a proof with a made-up nonce with use_dpop_nonce', async () => {
    const answer = await postToken(n.url, form, {
      dpop: await proofFor(agent, n.issuer, { nonce: 'not-a-nonce-from-this-server' }),
    });
    expectError(answer, 'use_dpop_nonce');
  });

  it('accepts the server nonce and sends a fresh one with the token', async () => {
    const first = await postToken(n.url, form, { dpop: await proofFor(agent, n.issuer) });
    const nonce = first.headers.get('dpop-nonce')!;
    const answer = await postToken(n.url, form, {
      dpop: await proofFor(agent, n.issuer, { nonce }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.headers.get('dpop-nonce')).toBeTruthy();
  });
});

const postgresDown = await postgresUnavailableReason();

describe.skipIf(postgresDown !== undefined)(
  `DPoP replay across two broker replicas sharing one PostgreSQL schema${postgresDown ? ` — SKIPPED: ${postgresDown}` : ''}`,
  () => {
    let primary: BrokerDomain;
    let replica: BrokerDomain;

    beforeAll(async () => {
      primary = await startBrokerDomain({
        kind: 'postgres',
        configOverrides: {
          clients: [secretClient('agent', ['read'])],
          dpop: { requireNonce: true },
        },
      });
      replica = await startBrokerDomain({ replicaOf: primary });
    });
    afterAll(async () => {
      await replica?.close();
      await primary?.close();
    });

    it('refuses at one replica a proof already accepted by the other, and both honour the same nonces', async () => {
      const agent = await createAgent();
      const nonce = (
        await postToken(replica.url, form, { dpop: await proofFor(agent, primary.issuer) })
      ).headers.get('dpop-nonce')!;
      const proof = await proofFor(agent, primary.issuer, { nonce });
      const first = await postToken(primary.url, form, { dpop: proof });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expectError(await postToken(replica.url, form, { dpop: proof }), 'invalid_dpop_proof', {
        description: /already used/,
      });
    });
  },
);
