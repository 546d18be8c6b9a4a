/**
 * Domain C's partner API listening on its own HTTP server (app.listen, as in production): the
 * header limit follows `policy.maxTokenBytes`, a trusted issuer cannot make a view throw,
 * refusals name the failed check, and a malleated token is the same token by (iss, jti).
 */
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NUMERIC_DATE, type LinkClaims } from '@baton/chain/protocol';
import { createResourceServerApp } from '../apps/resource-server/src/bootstrap.js';
import { parseResourceServerConfig } from '../apps/resource-server/src/config/parse-resource-server-config.js';
import {
  createFederation,
  resignToken,
  type Federation,
} from '../libs/chain/test/fixtures/federation.js';
import { getFreePort } from './support/index.js';

const MAX_TOKEN_BYTES = 24 * 1024;
/** Order of the P-256 group (SEC 2 §2.4.2): an ECDSA signature (r, s) also verifies as (r, n − s). */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

let app: INestApplication;
let base: string;
let fed: Federation;

beforeAll(async () => {
  const port = await getFreePort();
  base = `http://127.0.0.1:${port}`;
  fed = await createFederation({ domains: ['a', 'b', 'c'], resource: 'https://c.example' });
  const trusted = (name: 'a' | 'b' | 'c', roles: string[]) => ({
    issuer: fed.domains[name].issuer,
    roles,
    jwks: fed.domains[name].jwks,
    tokenEndpoint: fed.domains[name].tokenEndpoint,
  });
  const config = parseResourceServerConfig(
    {
      audience: 'https://c.example',
      publicBaseUrl: base,
      listen: { host: '127.0.0.1', port },
      trustedIssuers: [
        trusted('a', ['upstream']),
        trusted('b', ['upstream']),
        trusted('c', ['present']),
      ],
      dpop: { algorithms: ['ES256'] },
      policy: { maxTokenBytes: MAX_TOKEN_BYTES },
    },
    'test',
  );
  app = await createResourceServerApp(config, { logger: false });
  await app.listen(config.listen.port, config.listen.host);
});

afterAll(async () => {
  await app?.close();
});

async function whoami(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const proof = await fed.agent.proof({
    method: 'GET',
    url: `${base}/api/whoami`,
    accessToken: token,
  });
  const res = await fetch(`${base}/api/whoami`, {
    headers: { authorization: `DPoP ${token}`, dpop: proof },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The honest chain's token re-signed by c with an extra top-level claim, padded to `size` characters. */
async function tokenOfSize(size: number): Promise<string> {
  const chain = await fed.issueChain({ path: ['a', 'b', 'c'], scope: 'orders:read' });
  let best = chain.token;
  for (let pad = Math.floor(((size - chain.token.length) * 3) / 4) - 16; ; pad++) {
    const padded = await resignToken(
      chain.token,
      (claims) => Object.assign(claims, { pad: 'x'.repeat(pad) }),
      fed.domains['c'].key,
    );
    if (padded.length > size) {
      return best;
    }
    best = padded;
  }
}

describe('partner API limits', () => {
  it('lets a token of the configured maximum size reach the verifier (not 431)', async () => {
    const largest = await tokenOfSize(MAX_TOKEN_BYTES);
    expect(largest.length).toBeGreaterThan(MAX_TOKEN_BYTES - 3);
    expect(largest.length).toBeLessThanOrEqual(MAX_TOKEN_BYTES);
    const answer = await whoami(largest);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body['depth']).toBe(3);
  });

  it('refuses a token one step over the maximum in the verifier, with 401 naming the size check', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'], scope: 'orders:read' });
    const over = await resignToken(
      chain.token,
      (claims) => Object.assign(claims, { pad: 'x'.repeat(MAX_TOKEN_BYTES) }),
      fed.domains['c'].key,
    );
    const answer = await whoami(over);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: 'invalid_token' });
    expect(answer.body['error_description']).toMatch(/token too large \(claim size\)/);
  });

  it('names the failed check in WWW-Authenticate and the body (htu of the request proof)', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'], scope: 'orders:read' });
    const proof = await fed.agent.proof({
      method: 'GET',
      url: `${base}/api/orders`,
      accessToken: chain.token,
    });
    const res = await fetch(`${base}/api/whoami`, {
      headers: { authorization: `DPoP ${chain.token}`, dpop: proof },
    });
    expect(res.status).toBe(401);
    const text = 'The DPoP proof is invalid: htu does not match the request';
    expect(res.headers.get('www-authenticate')).toContain(`error_description="${text}"`);
    expect(await res.json()).toMatchObject({
      error: 'invalid_dpop_proof',
      error_description: text,
    });
  });

  it('answers 401, never 500, when a trusted issuer sets exp = 9e15', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b', 'c'],
      scope: 'orders:read',
      tamper: {
        linkClaims: (_i, claims: LinkClaims) => {
          claims.exp = 9e15;
        },
      },
    });
    const answer = await whoami(chain.token);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: 'invalid_token' });
    expect(answer.body['error_description']).toMatch(/claim exp/);
  });

  it('renders the latest time the profile allows (exp at the end of year 9999)', async () => {
    const chain = await fed.issueChain({
      path: ['a', 'b', 'c'],
      scope: 'orders:read',
      tamper: {
        linkClaims: (_i, claims: LinkClaims) => {
          claims.exp = MAX_NUMERIC_DATE;
        },
      },
    });
    const answer = await whoami(chain.token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((answer.body['hops'] as { expiresAt: string }[])[2].expiresAt).toBe(
      '9999-12-31T23:59:59.000Z',
    );
  });

  it('accepts a malleated token (s → n − s) as the same (iss, jti) under another hash', async () => {
    const chain = await fed.issueChain({ path: ['a', 'b', 'c'], scope: 'orders:read' });
    const [header, payload, signature] = chain.token.split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
    const flipped = Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex');
    const twin = `${header}.${payload}.${Buffer.concat([bytes.subarray(0, 32), flipped]).toString('base64url')}`;
    expect(twin).not.toBe(chain.token);
    const answer = await whoami(twin);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const hops = answer.body['hops'] as { domain: string; jti: string }[];
    expect([hops[2].domain, hops[2].jti]).toEqual([chain.claims.iss, chain.claims.jti]);
  });
});
