import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getFreePort,
  startBrokerDomain,
  type BrokerDomain,
} from '../../../../test/support/index.js';

describe('an issuer with a path (RFC 8414 §3.1)', () => {
  let domain: BrokerDomain;
  let origin: string;
  beforeAll(async () => {
    const port = await getFreePort();
    origin = `http://127.0.0.1:${port}`;
    domain = await startBrokerDomain({
      issuerPort: port,
      configOverrides: { issuer: `${origin}/tenant-a` },
    });
  });
  afterAll(() => domain?.close());

  it('inserts the well-known segment between host and path', async () => {
    const response = await fetch(`${origin}/.well-known/oauth-authorization-server/tenant-a`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      issuer: `${origin}/tenant-a`,
      token_endpoint: `${origin}/tenant-a/token`,
      jwks_uri: `${origin}/tenant-a/jwks`,
    });
    expect((await fetch(`${origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
  });

  it('serves the JWKS under the issuer path', async () => {
    expect((await fetch(`${origin}/tenant-a/jwks`)).status).toBe(200);
    expect((await fetch(`${origin}/jwks`)).status).toBe(404);
  });
});
