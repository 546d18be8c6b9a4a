/**
 * docs/chain-spec.md §3.1 over real HTTP: two brokers, an agent that binds its token-endpoint
 * proofs with `baton_hop`, and a verifier that requires bound hop proofs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChain, hopBinding, TrustStore, verifyChain } from '@baton/chain';
import { HOP_BINDING_CLAIM } from '@baton/chain/protocol';
import { createAgent, decodePayload, type Agent } from '../libs/chain/test/fixtures/federation.js';
import { getFreePort, startBrokerDomain, type BrokerDomain } from './support/index.js';
import {
  clientCredentials,
  exchange,
  postToken,
  secretAuth,
  secretClient,
  type Form,
  type TokenAnswer,
} from './token-helpers.js';

const PARTNER_API = 'https://api.partner.example';

describe('token exchange with hop proofs bound to their hop (baton_hop)', () => {
  let a: BrokerDomain;
  let b: BrokerDomain;
  let strictB: BrokerDomain;
  let agent: Agent;
  const agentAtA = secretAuth('agent');
  const agentAtB = secretAuth('agent-b');

  beforeAll(async () => {
    const [pa, pb, pc] = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
    const [ia, ib, ic] = [pa, pb, pc].map((port) => `http://127.0.0.1:${port}`);
    const peer = (issuer: string, allowedAudiences: string[]) => ({
      issuer,
      discover: true,
      allowedScopes: ['read', 'write'],
      allowedAudiences,
    });
    a = await startBrokerDomain({
      issuerPort: pa,
      configOverrides: {
        clients: [secretClient('agent', ['read', 'write'])],
        peers: [peer(ib, []), peer(ic, [])],
      },
    });
    b = await startBrokerDomain({
      issuerPort: pb,
      configOverrides: {
        clients: [secretClient('agent-b', ['read', 'write'])],
        peers: [peer(ia, [PARTNER_API])],
        policy: { audiences: [PARTNER_API] },
      },
    });
    strictB = await startBrokerDomain({
      issuerPort: pc,
      configOverrides: {
        clients: [secretClient('agent-b', ['read', 'write'])],
        peers: [peer(ia, [PARTNER_API])],
        policy: { audiences: [PARTNER_API], requireBoundHopProofs: true },
      },
    });
    agent = await createAgent();
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), strictB?.close()]);
  });

  const ok = (answer: TokenAnswer): string => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body['access_token'] as string;
  };

  const boundProof = (domain: BrokerDomain, binding: unknown) =>
    agent.proof({
      method: 'POST',
      url: `${domain.issuer}/token`,
      claims: { [HOP_BINDING_CLAIM]: binding },
    });

  async function boundExchange(
    domain: BrokerDomain,
    auth: Form,
    subjectToken: string,
    form: { audience: string; scope?: string },
    binding: unknown = hopBinding(subjectToken, form),
  ): Promise<TokenAnswer> {
    return exchange(domain, auth, agent, subjectToken, form, await boundProof(domain, binding));
  }

  const trust = () =>
    new TrustStore({
      issuers: [a, b].map((d) => ({ issuer: d.issuer, keys: { discover: true as const } })),
    });

  it('issues bound hops A → B → partner API that verify with requireBoundHopProofs', async () => {
    const t0 = ok(await clientCredentials(a, agentAtA, agent, { scope: 'read write' }));
    const t1 = ok(await boundExchange(a, agentAtA, t0, { audience: b.issuer }));
    const t2 = ok(await boundExchange(b, agentAtB, t1, { audience: PARTNER_API, scope: 'read' }));
    const recorded = decodePayload(decodeChain(t2).links[2].claims.dpop)[HOP_BINDING_CLAIM];
    expect(recorded).toEqual(hopBinding(t1, { audience: PARTNER_API, scope: 'read' }));
    const options = { trust: trust(), audience: PARTNER_API, requireBoundHopProofs: true };
    await expect(verifyChain(t2, options)).resolves.toMatchObject({ depth: 3, scope: ['read'] });
  });

  it('still exchanges for a standard client whose proof carries no binding', async () => {
    const t0 = ok(await clientCredentials(a, agentAtA, agent));
    const t1 = ok(await exchange(a, agentAtA, agent, t0, { audience: b.issuer }));
    await expect(
      verifyChain(t1, { trust: trust(), audience: b.issuer, requireBoundHopProofs: true }),
    ).rejects.toMatchObject({ code: 'ERR_HOP_PROOF', detail: { claim: HOP_BINDING_CLAIM } });
  });

  it('a broker with policy.requireBoundHopProofs refuses a chain with an unbound hop, naming the check', async () => {
    const t0 = ok(await clientCredentials(a, agentAtA, agent));
    const unbound = ok(await exchange(a, agentAtA, agent, t0, { audience: strictB.issuer }));
    const refused = await boundExchange(strictB, agentAtB, unbound, { audience: PARTNER_API });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_grant' });
    expect(refused.body['error_description']).toBe(
      `subject_token has a hop without the agent's proof of possession: hop proof not bound to its hop (link 1, issuer ${a.issuer}, claim baton_hop)`,
    );
    const bound = ok(await boundExchange(a, agentAtA, t0, { audience: strictB.issuer }));
    ok(await boundExchange(strictB, agentAtB, bound, { audience: PARTNER_API }));
  });

  it.each([
    ['another subject token', 'sbj_hash'],
    ['another chain (prev)', 'prev'],
    ['another audience', 'aud'],
    ['another scope', 'scope'],
  ])(
    'refuses a proof bound to %s with invalid_dpop_proof naming the member',
    async (_name, member) => {
      const t0 = ok(await clientCredentials(a, agentAtA, agent, { scope: 'read write' }));
      const form = { audience: b.issuer, scope: 'read' };
      const binding: Record<string, unknown> = { ...hopBinding(t0, form) };
      const old = binding[member];
      binding[member] = `${typeof old === 'string' ? old : 'x'}x`;
      const answer = await boundExchange(a, agentAtA, t0, form, binding);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_dpop_proof' });
      expect(answer.body['error_description']).toBe(
        `the DPoP proof is invalid: ${HOP_BINDING_CLAIM}.${member} ${
          {
            sbj_hash: 'does not match the subject token',
            prev: "does not match the subject token's last link",
            aud: 'does not match the requested audience',
            scope: 'does not match the requested scope',
          }[member]
        }`,
      );
    },
  );

  it('refuses a bound proof at client_credentials (no subject token to bind to)', async () => {
    const t0 = ok(await clientCredentials(a, agentAtA, agent));
    const refused = await postToken(
      a.url,
      { grant_type: 'client_credentials', ...agentAtA },
      { dpop: await boundProof(a, hopBinding(t0)) },
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_dpop_proof' });
    expect(refused.body['error_description']).toMatch(/baton_hop is malformed or not expected/);
  });
});
