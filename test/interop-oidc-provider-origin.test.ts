import { createServer, type Server } from 'node:http';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatonAgent, importAgentKey, type AgentKey } from '@baton/agent';
import { readAgentPrivateJwk } from '../apps/demo/manifest-sources.js';
import { getFreePort, startDemoFederation, type DemoFederation } from './support/index.js';

// An organisation's own authorization server — panva's oidc-provider, configured as any
// deployment would be — issues the agent a DPoP-bound JWT access token (RFC 9068 at+jwt) for
// domain A. A trusts it as an origin issuer (externalIssuers in its config, nothing else), and
// the journey A → B → partner API starts from that token.

let federation: DemoFederation;
let idp: Server;
let idpIssuer: string;
let agentKey: AgentKey;

/** oidc-provider issuing DPoP-bound JWT access tokens for `audience` by client_credentials. */
async function startIdp(port: number, audience: string, agent: AgentKey): Promise<Server> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    jwks: { keys: [signingKey] },
    scopes: ['orders:read', 'orders:write'],
    clients: [
      {
        client_id: 'agent',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        id_token_signed_response_alg: 'ES256',
        jwks: { keys: [agent.publicJwk] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'orders:read orders:write',
      },
    ],
    features: {
      clientCredentials: { enabled: true },
      dPoP: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        getResourceServerInfo: () => ({
          audience,
          scope: 'orders:read orders:write',
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  const handle = provider.callback();
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  return server;
}

beforeAll(async () => {
  const port = await getFreePort();
  idpIssuer = `http://127.0.0.1:${port}`;
  agentKey = await importAgentKey(await readAgentPrivateJwk(process.cwd()));
  federation = await startDemoFederation({
    partnerApi: true,
    overrides: {
      a: {
        externalIssuers: [{ issuer: idpIssuer, discover: true, allowedScopes: ['orders:read'] }],
      },
    },
  });
  idp = await startIdp(port, federation.domains.a.issuer, agentKey);
});

afterAll(async () => {
  await new Promise((closed) => (idp ? idp.close(closed) : closed(undefined)));
  await federation?.close();
});

describe('an external IdP (oidc-provider) as the origin issuer', () => {
  it('starts the chain at A from the IdP’s DPoP-bound at+jwt, and the partner API accepts the result', async () => {
    const { a, b, c } = federation.domains;
    const agent = new BatonAgent({ key: agentKey, clientId: 'agent' });
    const origin = await agent.originToken({ issuer: idpIssuer, scope: 'orders:read' });
    expect(decodeProtectedHeader(origin.accessToken).typ).toBe('at+jwt');
    expect(decodeJwt(origin.accessToken)).toMatchObject({
      iss: idpIssuer,
      aud: a.issuer,
      client_id: 'agent',
      cnf: { jkt: agentKey.jkt },
    });

    const t1 = await agent.exchange(origin, { issuer: a.issuer, audience: b.issuer });
    const t2 = await agent.exchange(t1, { issuer: b.issuer, audience: c.issuer });
    const final = decodeJwt(t2.accessToken);
    expect(final).toMatchObject({ iss: b.issuer, aud: c.issuer, cnf: { jkt: agentKey.jkt } });

    const response = await agent.fetch(t2, `${federation.partnerApi}/api/whoami`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      subject: 'agent',
      agentKeyThumbprint: agentKey.jkt,
      originIssuer: a.issuer,
      depth: 2,
    });
  });

  it('refuses the IdP token at B, which does not trust the IdP', async () => {
    const { b, c } = federation.domains;
    const agent = new BatonAgent({ key: agentKey, clientId: 'agent' });
    const origin = await agent.originToken({ issuer: idpIssuer, scope: 'orders:read' });
    await expect(
      agent.exchange(origin, { issuer: b.issuer, audience: c.issuer }),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});
