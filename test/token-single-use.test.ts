import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CLIENT_ASSERTION_TYPE_JWT_BEARER,
  GRANT_TYPE_CLIENT_CREDENTIALS,
} from '@baton/chain/protocol';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
import { IssuedTokenEntity } from '../apps/broker/src/database/issued-token.entity.js';
import { dataSourceOf, eventsOf, verifyLogOf } from './audit/audit-support.js';
import { describeEachDatabase, startBrokerDomain, type BrokerDomain } from './support/index.js';
import {
  expectError,
  keyClient,
  postToken,
  proofFor,
  secretAuth,
  secretClient,
  type KeyClient,
} from './token-helpers.js';

const form = { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...secretAuth('agent') };

// RFC 9449 §4.3 item 11 and §11.1: a proof whose jti was received before is declined, whatever
// the first request's outcome; RFC 7523 §3 item 7 likewise for a client assertion.
await describeEachDatabase('token endpoint: single-use proofs and assertions', (kind) => {
  let a: BrokerDomain;
  let agent: Agent;
  let keyed: KeyClient;

  beforeAll(async () => {
    keyed = await keyClient('keyed', ['read']);
    a = await startBrokerDomain({
      kind,
      configOverrides: { clients: [secretClient('agent', ['read', 'write']), keyed.config] },
    });
    agent = await createAgent();
  });
  afterAll(() => a?.close());

  it('refuses to replay a proof first sent with a request refused by policy (invalid_scope)', async () => {
    const proof = await proofFor(agent, a.issuer);
    expectError(
      await postToken(a.url, { ...form, scope: 'admin' }, { dpop: proof }),
      'invalid_scope',
    );
    expectError(await postToken(a.url, form, { dpop: proof }), 'invalid_dpop_proof', {
      description: /already used/,
    });
  });

  it('refuses to replay a client assertion first sent with a request refused by policy', async () => {
    const assertion = await keyed.assertion(a.issuer);
    const withAssertion = (scope?: string) => ({
      grant_type: GRANT_TYPE_CLIENT_CREDENTIALS,
      client_id: keyed.clientId,
      client_assertion_type: CLIENT_ASSERTION_TYPE_JWT_BEARER,
      client_assertion: assertion,
      scope,
    });
    expectError(
      await postToken(a.url, withAssertion('admin'), { dpop: await proofFor(agent, a.issuer) }),
      'invalid_scope',
    );
    expectError(
      await postToken(a.url, withAssertion(), { dpop: await proofFor(agent, a.issuer) }),
      'invalid_client',
      { status: 401 },
    );
  });

  // Concurrent tokens are committed together (IssuanceWriter's group commit); each request is
  // still told its own outcome, and each token has all its rows or none.
  it('commits concurrent tokens together: each recorded once with its audit event, the log intact', async () => {
    const records = dataSourceOf(a).getRepository(IssuedTokenEntity);
    const [recordsBefore, eventsBefore] = [
      await records.count(),
      await eventsOf(a, 'token.issued'),
    ];
    const proofs = await Promise.all(Array.from({ length: 24 }, () => proofFor(agent, a.issuer)));
    const answers = await Promise.all(proofs.map((dpop) => postToken(a.url, form, { dpop })));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const jtis = answers.map((answer) => decodeJwt(answer.body.access_token as string).jti);
    expect(await records.count()).toBe(recordsBefore + 24);
    const events = (await eventsOf(a, 'token.issued')).slice(eventsBefore.length);
    expect(events.map((event) => event.jti).sort()).toEqual([...jtis].sort());
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });

  it('accepts a proof sent with many concurrent requests once; the others are refused as replays', async () => {
    const records = dataSourceOf(a).getRepository(IssuedTokenEntity);
    const recordsBefore = await records.count();
    const replayed = await proofFor(agent, a.issuer);
    const fresh = await Promise.all(Array.from({ length: 8 }, () => proofFor(agent, a.issuer)));
    const dpops = [
      ...fresh.slice(0, 4),
      ...Array.from({ length: 8 }, () => replayed),
      ...fresh.slice(4),
    ];
    const answers = await Promise.all(dpops.map((dpop) => postToken(a.url, form, { dpop })));
    const accepted = answers.filter((answer) => answer.status === 200);
    expect(accepted).toHaveLength(8 + 1);
    for (const answer of answers.filter((each) => each.status !== 200)) {
      expectError(answer, 'invalid_dpop_proof', { description: /already used/ });
    }
    expect(await records.count()).toBe(recordsBefore + 9);
    expect(await verifyLogOf(a)).toMatchObject({ valid: true });
  });
});
