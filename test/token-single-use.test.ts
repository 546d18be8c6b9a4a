import { afterAll, beforeAll, it } from 'vitest';
import {
  CLIENT_ASSERTION_TYPE_JWT_BEARER,
  GRANT_TYPE_CLIENT_CREDENTIALS,
} from '@baton/chain/protocol';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
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
});
