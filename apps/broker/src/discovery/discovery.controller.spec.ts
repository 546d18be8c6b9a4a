import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeEachDatabase,
  startBrokerDomain,
  type BrokerDomain,
} from '../../../../test/support/index.js';
import { PRIVATE_JWK_MEMBERS } from '@baton/chain/protocol';

await describeEachDatabase('discovery over a real listener', (kind) => {
  let domain: BrokerDomain;
  beforeAll(async () => {
    domain = await startBrokerDomain({
      kind,
      configOverrides: {
        keys: { prePublishSeconds: 120 },
        clients: [
          {
            clientId: 'svc',
            authMethod: 'client_secret_basic',
            secret: 'a-test-secret-long-enough',
            scopes: ['orders:read', 'orders:write'],
          },
        ],
      },
    });
  });
  afterAll(() => domain?.close());

  it('serves RFC 8414 metadata at the well-known URL', async () => {
    const response = await fetch(`${domain.url}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toEqual({
      issuer: domain.issuer,
      token_endpoint: `${domain.issuer}/token`,
      jwks_uri: `${domain.issuer}/jwks`,
      scopes_supported: ['orders:read', 'orders:write'],
      grant_types_supported: [
        'client_credentials',
        'urn:ietf:params:oauth:grant-type:token-exchange',
      ],
      token_endpoint_auth_methods_supported: [
        'private_key_jwt',
        'client_secret_basic',
        'client_secret_post',
      ],
      token_endpoint_auth_signing_alg_values_supported: ['ES256', 'ES384', 'EdDSA', 'PS256'],
      dpop_signing_alg_values_supported: ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256'],
    });
    expect(metadata).not.toHaveProperty('response_types_supported');
  });

  it('serves the JWKS with public members only and a short cache lifetime', async () => {
    const response = await fetch(`${domain.url}/jwks`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=120');
    const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const member of PRIVATE_JWK_MEMBERS) {
      expect(key).not.toHaveProperty(member);
    }
  });

  it('answers liveness and readiness', async () => {
    const live = await fetch(`${domain.url}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${domain.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' } },
    });
  });

  it('answers an unknown well-known suffix with 404, not 500', async () => {
    const response = await fetch(`${domain.url}/.well-known/oauth-authorization-server/other`);
    expect(response.status).toBe(404);
  });
});
