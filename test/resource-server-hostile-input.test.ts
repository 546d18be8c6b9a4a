import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceServerApp } from '../apps/resource-server/src/bootstrap.js';
import { parseResourceServerConfig } from '../apps/resource-server/src/config/parse-resource-server-config.js';
import { createFederation, type Federation } from '../libs/chain/test/fixtures/federation.js';

// Hostile Authorization and DPoP headers at domain C's partner API over a real listener: every
// refusal is a 400 or 401 with a WWW-Authenticate challenge, never a 500, and the process stays up.

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const b64 = (value: string) => Buffer.from(value).toString('base64url');
const jws = (header: unknown, payload: unknown) =>
  `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}.${b64('not a signature')}`;

describe('resource server: hostile credentials never yield a 500', () => {
  let app: INestApplication;
  let port: number;
  let base: string;
  let fed: Federation;
  let token: string;

  beforeAll(async () => {
    fed = await createFederation({ domains: ['a', 'c'], resource: 'https://c.example' });
    token = (await fed.issueChain({ path: ['a', 'c'], scope: 'orders:read' })).token;
    const config = parseResourceServerConfig(
      {
        audience: 'https://c.example',
        publicBaseUrl: 'http://127.0.0.1:1',
        listen: { host: '127.0.0.1', port: 0 },
        trust: {
          issuers: [
            { issuer: fed.domains['a'].issuer, roles: ['upstream'], jwks: fed.domains['a'].jwks },
            { issuer: fed.domains['c'].issuer, roles: ['present'], jwks: fed.domains['c'].jwks },
          ],
        },
      },
      'test',
    );
    app = await createResourceServerApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer() as { address(): AddressInfo }).address().port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => app?.close());

  function get(path: string, headers: OutgoingHttpHeaders): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path, method: 'GET', headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  function expectChallenge(answer: RawAnswer, label: string): void {
    const context = `${label}: ${answer.status} ${answer.text.slice(0, 200)}`;
    expect([400, 401], context).toContain(answer.status);
    expect(answer.headers['www-authenticate'], context).toMatch(/^DPoP /);
  }

  it('refuses malformed Authorization and DPoP headers with a challenge', async () => {
    const proof = await fed.agent.proof({
      method: 'GET',
      url: `${base}/api/orders`,
      accessToken: token,
    });
    const cases: Array<[string, OutgoingHttpHeaders]> = [
      ['nothing', {}],
      ['empty Authorization', { authorization: '' }],
      ['scheme only', { authorization: 'DPoP' }],
      ['scheme and spaces', { authorization: 'DPoP    ' }],
      ['not token68', { authorization: 'DPoP a b c' }],
      ['garbage token', { authorization: 'DPoP !!!', dpop: proof }],
      ['Bearer', { authorization: `Bearer ${token}` }],
      ['Basic', { authorization: 'Basic !!!' }],
      ['odd scheme', { authorization: '%%% x' }],
      ['repeated', { Authorization: [`DPoP ${token}`, `DPoP ${token}`], dpop: proof }],
      ['token without proof', { authorization: `DPoP ${token}` }],
      ['proof repeated', { authorization: `DPoP ${token}`, dpop: [proof, proof] }],
      ['proof garbage', { authorization: `DPoP ${token}`, dpop: 'x.y.z' }],
      ['proof empty', { authorization: `DPoP ${token}`, dpop: '' }],
      ['proof huge', { authorization: `DPoP ${token}`, dpop: `a.${'b'.repeat(12_000)}.c` }],
      ['token huge', { authorization: `DPoP a.${'b'.repeat(15_000)}.c`, dpop: proof }],
      [
        'token of garbage JSON',
        { authorization: `DPoP ${b64('{')}.${b64('[[')}.${b64('x')}`, dpop: proof },
      ],
      [
        'token with deep claims',
        {
          authorization: `DPoP ${jws({ alg: 'ES256', typ: 'at+jwt' }, { act: JSON.parse('['.repeat(3000) + ']'.repeat(3000)) as unknown })}`,
          dpop: proof,
        },
      ],
      [
        'proof with junk jwk',
        {
          authorization: `DPoP ${token}`,
          dpop: jws({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: [], x: {} } }, {}),
        },
      ],
    ];
    for (const [label, headers] of cases) {
      expectChallenge(await get('/api/orders', headers), label);
    }
  });

  it('refuses arbitrary header values and garbage paths (fast-check)', async () => {
    const header = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
      fc.constantFrom('DPoP ', 'DPoP a.b.c', `DPoP ${token}`, 'Bearer x'),
      fc
        .string({ unit: 'grapheme-ascii', maxLength: 300 })
        .map((s) => `DPoP ${Buffer.from(s).toString('base64url')}`),
    );
    await fc.assert(
      fc.asyncProperty(
        header,
        fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), { nil: undefined }),
        fc.constantFrom('/api/orders', '/api/orders?x=%zz', '/api/orders/..;/', '/api/whoami'),
        async (authorization, dpop, path) => {
          const headers: OutgoingHttpHeaders = { authorization: authorization.trim() };
          if (dpop !== undefined) {
            headers['dpop'] = dpop.trim();
          }
          const answer = await get(path, headers);
          if (answer.status === 404) {
            return;
          }
          expectChallenge(answer, `${path} ${authorization.slice(0, 80)}`);
        },
      ),
      { numRuns: 120 },
    );
    for (const path of ['/%', '/api/%E0%A4%A', '//api/orders', `/${'a'.repeat(6000)}`]) {
      const answer = await get(path, { authorization: 'DPoP x', dpop: 'y' });
      expect(answer.status, path).toBeLessThan(500);
    }
    const health = await get('/health', {});
    expect(health.status).toBe(200);
  });
});
