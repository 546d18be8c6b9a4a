import * as client from 'openid-client';
import { calculateJwkThumbprint, decodeJwt, importJWK, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hopBinding } from '@baton/chain';
import {
  GRANT_TYPE_TOKEN_EXCHANGE,
  HOP_BINDING_CLAIM,
  TOKEN_TYPE_ACCESS_TOKEN,
} from '@baton/chain/protocol';
import { startDemoFederation, type DemoFederation } from './support/index.js';

// openid-client (panva) drives the demo journey with its own discovery, private_key_jwt, DPoP
// proofs and use_dpop_nonce retry; nothing of Baton's runs on the client side. B requires a
// server nonce, so openid-client's own retry is exercised.

let federation: DemoFederation;

beforeAll(async () => {
  federation = await startDemoFederation({
    partnerApi: true,
    overrides: { b: { dpop: { requireNonce: true } } },
  });
});
afterAll(async () => {
  await federation?.close();
});

/** Every response a configuration's requests got, as `POST <path> <status>`. */
function recordResponses(config: client.Configuration, into: string[]): void {
  config[client.customFetch] = async (url, options) => {
    const response = await fetch(url, options);
    into.push(`${options.method ?? 'GET'} ${new URL(url).pathname} ${response.status}`);
    return response;
  };
}

async function agentKeys(privateJwk: JWK) {
  const { d: _d, ...publicJwk } = privateJwk;
  const alg = privateJwk.alg ?? 'ES256';
  return {
    privateKey: (await importJWK(privateJwk, alg)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, alg, { extractable: true })) as CryptoKey,
    jkt: await calculateJwkThumbprint(publicJwk),
  };
}

describe('three-domain journey driven by openid-client', () => {
  it('client_credentials at A, token exchange at A and at B (nonce retried), accepted by the partner API', async () => {
    const { a, b, c } = federation.domains;
    const { privateKey, publicKey, jkt } = await agentKeys(federation.agentPrivateJwk);
    const auth = client.PrivateKeyJwt({ key: privateKey, kid: federation.agentPrivateJwk.kid });
    const discover = (issuer: string) =>
      client.discovery(new URL(issuer), 'agent', undefined, auth, {
        algorithm: 'oauth2',
        execute: [client.allowInsecureRequests],
      });
    const [atA, atB] = [await discover(a.issuer), await discover(b.issuer)];
    const seenAtA: string[] = [];
    const seenAtB: string[] = [];
    recordResponses(atA, seenAtA);
    recordResponses(atB, seenAtB);
    const dpopA = client.getDPoPHandle(atA, { privateKey, publicKey });
    // The demo partner API requires bound hop proofs (docs/chain-spec.md §3.1): openid-client's
    // own proof hook adds baton_hop to an exchange's proofs; nothing else changes.
    const boundDpop = (config: client.Configuration, subject: string, audience: string) =>
      client.getDPoPHandle(
        config,
        { privateKey, publicKey },
        {
          [client.modifyAssertion]: (_header, payload) => {
            Object.assign(payload, { [HOP_BINDING_CLAIM]: hopBinding(subject, { audience }) });
          },
        },
      );
    const exchange = (subject: string, audience: string) => ({
      subject_token: subject,
      subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
      audience,
    });

    const t0 = await client.clientCredentialsGrant(atA, { scope: 'orders:read' }, { DPoP: dpopA });
    const t1 = await client.genericGrantRequest(
      atA,
      GRANT_TYPE_TOKEN_EXCHANGE,
      exchange(t0.access_token, b.issuer),
      { DPoP: boundDpop(atA, t0.access_token, b.issuer) },
    );
    const t2 = await client.genericGrantRequest(
      atB,
      GRANT_TYPE_TOKEN_EXCHANGE,
      exchange(t1.access_token, c.issuer),
      { DPoP: boundDpop(atB, t1.access_token, c.issuer) },
    );
    expect([t0, t1, t2].map((t) => t.token_type)).toEqual(['dpop', 'dpop', 'dpop']);
    expect(t1.issued_token_type).toBe(TOKEN_TYPE_ACCESS_TOKEN);
    expect(seenAtA).toEqual(['POST /token 200', 'POST /token 200']);
    // B requires a nonce: openid-client's first attempt is refused, its own retry succeeds.
    expect(seenAtB).toEqual(['POST /token 400', 'POST /token 200']);
    const claims = decodeJwt(t2.access_token);
    expect(claims).toMatchObject({ iss: b.issuer, aud: c.issuer, cnf: { jkt } });

    const response = await client.fetchProtectedResource(
      atB,
      t2.access_token,
      new URL(`${federation.partnerApi}/api/whoami`),
      'GET',
      undefined,
      undefined,
      { DPoP: client.getDPoPHandle(atB, { privateKey, publicKey }) },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      subject: 'agent',
      agentKeyThumbprint: jkt,
      originIssuer: a.issuer,
      issuer: b.issuer,
      depth: 3,
    });
  });
});
