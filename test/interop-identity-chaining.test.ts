import { readFile } from 'node:fs/promises';
import * as oauth from 'oauth4webapi';
import { decodeJwt } from 'jose';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatonAgent,
  generateAgentKey,
  importAgentKey,
  type AgentKey,
  type IssuedToken,
} from '@baton/agent';
import { decodeChain, hopBinding } from '@baton/chain';
import {
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_TOKEN_EXCHANGE,
  HOP_BINDING_CLAIM,
  TOKEN_TYPE_ACCESS_TOKEN,
  TOKEN_TYPE_JWT,
} from '@baton/chain/protocol';
import { startDemoFederation, type DemoFederation } from './support/index.js';

// The OAuth identity-chaining draft across the demo federation: A issues a JWT authorization
// grant for B by token exchange (requested_token_type JWT); B redeems it through the RFC 7523
// jwt-bearer grant, and — for comparison — through token exchange. Both give the same chain.

let federation: DemoFederation;
let key: AgentKey;

beforeAll(async () => {
  // B's agent client may also use the JWT grant (opt-in per client).
  const bYaml = parseYaml(await readFile('config/b.yaml', 'utf8')) as {
    clients: Record<string, unknown>[];
  };
  const clients = bYaml.clients.map((client) =>
    client['clientId'] === 'agent'
      ? { ...client, grantTypes: [GRANT_TYPE_TOKEN_EXCHANGE, GRANT_TYPE_JWT_BEARER] }
      : client,
  );
  federation = await startDemoFederation({ partnerApi: true, overrides: { b: { clients } } });
  key = await importAgentKey(federation.agentPrivateJwk);
});
afterAll(async () => {
  await federation?.close();
});

/** One token request by the agent's key with oauth4webapi (private_key_jwt, DPoP). */
async function tokenRequest(
  issuer: string,
  grantType: string,
  parameters: Record<string, string>,
  dpopKey: AgentKey = key,
): Promise<oauth.TokenEndpointResponse> {
  // docs/chain-spec.md §3.1: the proof names the token it presents (subject or assertion) and
  // the audience asked for, as the demo partner API requires of every hop.
  const subject = parameters['subject_token'] ?? parameters['assertion'];
  const audience = parameters['audience'];
  const bind: oauth.ModifyAssertionOptions = {
    [oauth.modifyAssertion]: (_header, payload) => {
      if (subject !== undefined) {
        Object.assign(payload, {
          [HOP_BINDING_CLAIM]: hopBinding(subject, audience === undefined ? {} : { audience }),
        });
      }
    },
  };
  const as: oauth.AuthorizationServer = { issuer, token_endpoint: `${issuer}/token` };
  const client: oauth.Client = { client_id: 'agent' };
  const response = await oauth.genericTokenEndpointRequest(
    as,
    client,
    oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
    grantType,
    parameters,
    {
      DPoP: oauth.DPoP(
        client,
        { privateKey: dpopKey.privateKey, publicKey: dpopKey.publicKey },
        bind,
      ),
      [oauth.allowInsecureRequests]: true,
    },
  );
  return oauth.processGenericTokenEndpointResponse(as, client, response, {
    // RFC 8693 §2.2.1: a JWT authorization grant is answered with token_type N_A.
    recognizedTokenTypes: { n_a: () => undefined },
  });
}

/** What a hop states, without what differs per issuance (jti, times, the hop's own proof). */
function hopShape(token: string) {
  const { claims, links } = decodeChain(token);
  const { iss, sub, aud, scope, act, cnf } = claims;
  return {
    token: { iss, sub, aud, scope, act, cnf },
    links: links.map(({ claims: link }) => {
      const { jti: _jti, iat: _iat, exp: _exp, dpop: _dpop, status, ...stable } = link;
      // Every token gets its own status slot; the list it lives in is the same.
      return { ...stable, statusList: status?.status_list.uri };
    }),
  };
}

describe('identity chaining: a JWT authorization grant from A redeemed at B', () => {
  let t0: IssuedToken;
  let grant: string;

  beforeAll(async () => {
    const { a, b } = federation.domains;
    t0 = await new BatonAgent({ key, clientId: 'agent' }).originToken({
      issuer: a.issuer,
      scope: 'orders:read',
    });
    const answer = await tokenRequest(a.issuer, GRANT_TYPE_TOKEN_EXCHANGE, {
      subject_token: t0.accessToken,
      subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
      requested_token_type: TOKEN_TYPE_JWT,
      audience: b.issuer,
    });
    expect(answer.issued_token_type).toBe(TOKEN_TYPE_JWT);
    expect(answer.token_type).toBe('n_a');
    grant = answer.access_token;
  });

  it('A issues the grant for B by token exchange: aud B, bound to the agent key, one more link', () => {
    const { a, b } = federation.domains;
    expect(decodeJwt(grant)).toMatchObject({ iss: a.issuer, aud: b.issuer, cnf: { jkt: key.jkt } });
    expect(decodeChain(grant).links).toHaveLength(2);
  });

  it('B accepts it through the jwt-bearer grant and through token exchange, with the same chain', async () => {
    const { a, b, c } = federation.domains;
    const viaJwtBearer = await tokenRequest(b.issuer, GRANT_TYPE_JWT_BEARER, {
      assertion: grant,
      audience: c.issuer,
    });
    expect(viaJwtBearer.token_type).toBe('dpop');
    expect(viaJwtBearer.issued_token_type).toBeUndefined();
    const viaExchange = await new BatonAgent({ key, clientId: 'agent' }).exchange(grant, {
      issuer: b.issuer,
      audience: c.issuer,
    });
    expect(hopShape(viaJwtBearer.access_token)).toEqual(hopShape(viaExchange.accessToken));
    expect(hopShape(viaJwtBearer.access_token).links.map((link) => link['iss'])).toEqual([
      a.issuer,
      a.issuer,
      b.issuer,
    ]);

    const agent = new BatonAgent({ key });
    for (const token of [viaJwtBearer.access_token, viaExchange.accessToken]) {
      const response = await agent.fetch(token, `${federation.partnerApi}/api/whoami`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ issuer: b.issuer, depth: 3 });
    }
  });

  it('B refuses, as invalid_grant, an assertion not issued for B and one presented with another key', async () => {
    const { b, c } = federation.domains;
    await expect(
      tokenRequest(b.issuer, GRANT_TYPE_JWT_BEARER, { assertion: t0.accessToken }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    const thief = (await generateAgentKey()).key;
    await expect(
      tokenRequest(
        b.issuer,
        GRANT_TYPE_JWT_BEARER,
        { assertion: grant, audience: c.issuer },
        thief,
      ),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(
      tokenRequest(b.issuer, GRANT_TYPE_JWT_BEARER, { audience: c.issuer }),
    ).rejects.toMatchObject({ error: 'invalid_request' });
  });
});
