import * as oauth from 'oauth4webapi';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, verifyChain } from '@baton/chain';
import {
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS_TOKEN,
  type DelegatedTokenClaims,
} from '@baton/chain/protocol';
import { decodePayload } from '../libs/chain/test/fixtures/federation.js';
import { getFreePort, startBrokerDomain, type BrokerDomain } from './support/index.js';
import { keyClient, type KeyClient } from './token-helpers.js';

/** An independent OAuth client drives the journey: its own DPoP proofs, nonce handling and client assertions. */
describe('three-domain journey driven by oauth4webapi', () => {
  let a: BrokerDomain;
  let b: BrokerDomain;
  let c: BrokerDomain;
  let clientA: KeyClient;
  let clientB: KeyClient;

  beforeAll(async () => {
    const [pa, pb, pc] = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
    const [ia, ib, ic] = [pa, pb, pc].map((port) => `http://127.0.0.1:${port}`);
    clientA = await keyClient('agent', ['read', 'write']);
    clientB = await keyClient('agent-b', ['read', 'write']);
    const peer = (issuer: string, allowedAudiences: string[]) => ({
      issuer,
      discover: true,
      allowedScopes: ['read', 'write'],
      allowedAudiences,
    });
    a = await startBrokerDomain({
      issuerPort: pa,
      configOverrides: { clients: [clientA.config], peers: [peer(ib, [ic])] },
    });
    b = await startBrokerDomain({
      issuerPort: pb,
      configOverrides: {
        clients: [clientB.config],
        peers: [peer(ia, [ic]), peer(ic, [])],
        dpop: { requireNonce: true },
      },
    });
    c = await startBrokerDomain({
      issuerPort: pc,
      configOverrides: { peers: [peer(ib, []), { ...peer(ia, []), roles: ['upstream'] }] },
    });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
  });

  /** One token request; on use_dpop_nonce, oauth4webapi has cached the nonce and the request is retried once. */
  async function withNonceRetry<T>(
    request: () => Promise<Response>,
    process: (response: Response) => Promise<T>,
  ): Promise<{ result: T; retried: boolean }> {
    try {
      return { result: await process(await request()), retried: false };
    } catch (error) {
      if (!oauth.isDPoPNonceError(error)) {
        throw error;
      }
      return { result: await process(await request()), retried: true };
    }
  }

  it('client_credentials with PrivateKeyJwt at A, token exchange at A and at B (nonce required), verified for C', async () => {
    const agentKeys = await oauth.generateKeyPair('ES256');
    const jkt = await calculateJwkThumbprint(await exportJWK(agentKeys.publicKey));
    const options = (dpop: oauth.DPoPHandle) => ({
      DPoP: dpop,
      [oauth.allowInsecureRequests]: true,
    });
    const asA: oauth.AuthorizationServer = {
      issuer: a.issuer,
      token_endpoint: `${a.issuer}/token`,
    };
    const asB: oauth.AuthorizationServer = {
      issuer: b.issuer,
      token_endpoint: `${b.issuer}/token`,
    };
    const agentAtA: oauth.Client = { client_id: clientA.clientId };
    const agentAtB: oauth.Client = { client_id: clientB.clientId };
    const authA = oauth.PrivateKeyJwt({ key: clientA.privateKey, kid: 'k1' });
    const authB = oauth.PrivateKeyJwt({ key: clientB.privateKey, kid: 'k1' });
    const dpopA = oauth.DPoP(agentAtA, agentKeys);
    const dpopB = oauth.DPoP(agentAtB, agentKeys);

    const t0 = await withNonceRetry(
      () =>
        oauth.clientCredentialsGrantRequest(
          asA,
          agentAtA,
          authA,
          new URLSearchParams({ scope: 'read write' }),
          options(dpopA),
        ),
      (response) => oauth.processClientCredentialsResponse(asA, agentAtA, response),
    );
    expect(t0.retried).toBe(false);
    expect(t0.result.token_type).toBe('dpop');

    const exchangeParams = (subject: string, audience: string) =>
      new URLSearchParams({
        subject_token: subject,
        subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
        audience,
      });
    const t1 = await withNonceRetry(
      () =>
        oauth.genericTokenEndpointRequest(
          asA,
          agentAtA,
          authA,
          GRANT_TYPE_TOKEN_EXCHANGE,
          exchangeParams(t0.result.access_token, b.issuer),
          options(dpopA),
        ),
      (response) => oauth.processGenericTokenEndpointResponse(asA, agentAtA, response),
    );
    expect(t1.result.issued_token_type).toBe(TOKEN_TYPE_ACCESS_TOKEN);

    const t2 = await withNonceRetry(
      () =>
        oauth.genericTokenEndpointRequest(
          asB,
          agentAtB,
          authB,
          GRANT_TYPE_TOKEN_EXCHANGE,
          exchangeParams(t1.result.access_token, c.issuer),
          options(dpopB),
        ),
      (response) => oauth.processGenericTokenEndpointResponse(asB, agentAtB, response),
    );
    // B requires a server nonce: the first attempt is refused with use_dpop_nonce, the retry carries it.
    expect(t2.retried).toBe(true);

    const claims = decodePayload<DelegatedTokenClaims>(t2.result.access_token);
    expect(claims.cnf.jkt).toBe(jkt);
    expect(claims.act).toEqual({
      iss: b.issuer,
      sub: 'agent-b',
      act: { iss: a.issuer, sub: 'agent' },
    });
    expect(claims.baton.links).toHaveLength(3);
    const trust = new TrustStore({
      issuers: [a, b].map((d) => ({ issuer: d.issuer, keys: { discover: true as const } })),
    });
    const verified = await verifyChain(t2.result.access_token, { trust, audience: c.issuer });
    expect(verified.agentKeyThumbprint).toBe(jkt);
    expect(verified.depth).toBe(3);
  });
});
