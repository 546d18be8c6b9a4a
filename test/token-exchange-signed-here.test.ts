/**
 * A broker remembers the signatures of the tokens and links it signed and of the DPoP proofs it
 * put in them (LinkCache.rememberSignature), so the agent's exchange of its token at the same
 * broker does not recompute them; the issued chain still verifies in full anywhere else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChain, hashCompact, LinkCache, TrustStore, verifyChain } from '@baton/chain';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
import { startBrokerDomain, type BrokerDomain } from './support/index.js';
import {
  clientCredentials,
  exchange,
  secretAuth,
  secretClient,
  type TokenAnswer,
} from './token-helpers.js';

const PARTNER_API = 'https://api.partner.example';

describe('token exchange of a token the same broker signed', () => {
  let a: BrokerDomain;
  let agent: Agent;
  const auth = secretAuth('agent');
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    a = await startBrokerDomain({
      configOverrides: {
        clients: [secretClient('agent', ['read', 'write'])],
        policy: { audiences: [PARTNER_API] },
      },
    });
    agent = await createAgent();
  });
  afterAll(() => a?.close());

  const ok = (answer: TokenAnswer): string => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body['access_token'] as string;
  };

  /** Whether broker A's cache holds the JWS with this hash as signed by `signer` (default A). */
  const known = (hash: string, signer = a.issuer) =>
    a.app.get(LinkCache).knowsSignature(hash, signer, now());

  it('remembers each token and link it issued, and exchanges them', async () => {
    const t0 = ok(await clientCredentials(a, auth, agent));
    expect(known(hashCompact(t0))).toBe(true);
    const [origin] = decodeChain(t0).links;
    expect(known(origin.hash)).toBe(true);
    // The DPoP proof A verified and put in the link, by the agent's key.
    expect(known(hashCompact(origin.claims.dpop), agent.jkt)).toBe(true);

    const t1 = ok(await exchange(a, auth, agent, t0, { audience: PARTNER_API }));
    const links = decodeChain(t1).links;
    expect(links).toHaveLength(2);
    expect(known(hashCompact(t1))).toBe(true);
    expect(known(links[1].hash)).toBe(true);
    expect(known(hashCompact(links[1].claims.dpop), agent.jkt)).toBe(true);

    // A verifier with no such memory checks every signature of what A issued.
    const trust = new TrustStore({
      issuers: [{ issuer: a.issuer, keys: { discover: true as const } }],
    });
    await expect(verifyChain(t1, { trust, audience: PARTNER_API })).resolves.toMatchObject({
      depth: 2,
    });
  });

  it('remembers nothing it did not sign: a token from elsewhere is not in the cache', async () => {
    const t0 = ok(await clientCredentials(a, auth, agent));
    const forged = `${t0.slice(0, t0.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    expect(known(hashCompact(forged))).toBe(false);
    const refused = await exchange(a, auth, agent, forged, { audience: PARTNER_API });
    expect(refused.status).toBe(400);
    expect(refused.body['error']).toBe('invalid_grant');
  });
});
