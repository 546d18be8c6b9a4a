import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS_TOKEN,
} from '@baton/chain/protocol';
import { createAgent, type Agent } from '../libs/chain/test/fixtures/federation.js';
import { startBrokerDomain, type BrokerDomain } from './support/index.js';
import { encodeForm, proofFor, secretClient, SECRET, type Form } from './token-helpers.js';

// Hostile input at POST /token and the GET routes over a real listener: whatever arrives, the
// answer is a 4xx with an RFC 6749 §5.2 JSON body and the process keeps serving.

/** RFC 6749 §5.2, RFC 8693 §2.2.2, RFC 8707 §2 and RFC 9449 §5, §8 error codes. */
const TOKEN_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
];

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface RawRequest {
  method?: string;
  path?: string;
  /** Header values; an array sends the header once per element. */
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const jws = (header: unknown, payload: unknown, signature = b64('not a signature')) =>
  `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}.${signature}`;
const nested = (depth: number, leaf: unknown = 'x'): unknown => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) {
    value = { act: value, iss: 'x', sub: 'y' };
  }
  return value;
};

describe('token endpoint: hostile input never yields a 500', () => {
  let a: BrokerDomain;
  let agent: Agent;
  let port: number;

  beforeAll(async () => {
    a = await startBrokerDomain({
      configOverrides: { clients: [secretClient('agent', ['read', 'write'])] },
    });
    port = Number(new URL(a.url).port);
    agent = await createAgent();
  });
  afterAll(() => a?.close());

  /** A raw HTTP/1.1 request (node:http, so repeated headers and odd bodies go out as written). */
  function send(req: RawRequest): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port,
          // A fresh connection each time: the server may close one after refusing a body.
          agent: false,
          method: req.method ?? 'POST',
          path: req.path ?? '/token',
          headers: req.headers ?? {},
        },
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
      outgoing.on('error', reject);
      outgoing.end(req.body);
    });
  }

  const FORM = 'application/x-www-form-urlencoded';
  const postForm = (body: string, headers: OutgoingHttpHeaders = {}) =>
    send({ headers: { 'content-type': FORM, ...headers }, body });
  const ccForm = (extra: Form = {}): Form => ({
    grant_type: GRANT_TYPE_CLIENT_CREDENTIALS,
    client_id: 'agent',
    client_secret: SECRET,
    ...extra,
  });
  const exchangeForm = (subjectToken: string, extra: Form = {}): Form => ({
    grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
    client_id: 'agent',
    client_secret: SECRET,
    subject_token: subjectToken,
    subject_token_type: TOKEN_TYPE_ACCESS_TOKEN,
    ...extra,
  });

  /** 4xx, JSON, `error` from the RFC set, never a token. */
  function expectOAuthRefusal(answer: RawAnswer, label: string): void {
    const context = `${label}: ${answer.status} ${answer.text.slice(0, 300)}`;
    expect(answer.status, context).toBeGreaterThanOrEqual(400);
    expect(answer.status, context).toBeLessThan(500);
    expect(String(answer.headers['content-type']), context).toMatch(/^application\/json/);
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    expect(TOKEN_ERRORS, context).toContain(body['error']);
    // RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E, and never echoes a whole input.
    expect(body['error_description'], context).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]{1,200}$/);
    expect(body['access_token'], context).toBeUndefined();
    // RFC 6749 §5.1/§5.2: no answer of the token endpoint is cached.
    expect(answer.headers['cache-control'], context).toBe('no-store');
  }

  async function expectStillUp(): Promise<void> {
    const health = await fetch(`${a.url}/health/live`);
    expect(health.status).toBe(200);
    const ok = await postForm(encodeForm(ccForm()), { dpop: await proofFor(agent, a.issuer) });
    expect(ok.status, ok.text).toBe(200);
  }

  it('refuses hostile bodies and content types', async () => {
    const cases: Array<[string, RawRequest]> = [
      ['no content type', { body: encodeForm(ccForm()) }],
      ['no body at all', { headers: { 'content-type': FORM } }],
      ['JSON body', { headers: { 'content-type': 'application/json' }, body: '{"a":1}' }],
      ['JSON array body', { headers: { 'content-type': 'application/json' }, body: '[1,2]' }],
      ['broken JSON', { headers: { 'content-type': 'application/json' }, body: '{"a":' }],
      ['deep JSON', { headers: { 'content-type': 'application/json' }, body: '['.repeat(50_000) }],
      ['JSON labelled as form', { headers: { 'content-type': FORM }, body: '{"grant_type":1}' }],
      [
        'multipart',
        {
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
          body: '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--\r\n',
        },
      ],
      ['text/plain', { headers: { 'content-type': 'text/plain' }, body: 'grant_type=x' }],
      ['bogus media type', { headers: { 'content-type': '%%%/;;;=' }, body: 'grant_type=x' }],
      ['utf-16 charset', { headers: { 'content-type': `${FORM}; charset=utf-16` }, body: 'a=b' }],
      ['unknown charset', { headers: { 'content-type': `${FORM}; charset=x-bogus` }, body: 'a=b' }],
      [
        'gzip that is not gzip',
        { headers: { 'content-type': FORM, 'content-encoding': 'gzip' }, body: 'grant_type=x' },
      ],
      [
        'unknown content encoding',
        { headers: { 'content-type': FORM, 'content-encoding': 'x-bogus' }, body: 'a=b' },
      ],
      [
        '1 MB form body',
        { headers: { 'content-type': FORM }, body: `grant_type=${'a'.repeat(1024 * 1024)}` },
      ],
      [
        '1 MB JSON body',
        { headers: { 'content-type': 'application/json' }, body: `"${'a'.repeat(1024 * 1024)}"` },
      ],
      ['too many parameters', { headers: { 'content-type': FORM }, body: 'a=1&'.repeat(5000) }],
      [
        'deeply bracketed key',
        {
          headers: { 'content-type': FORM },
          body: `${encodeURIComponent(`a${'[b]'.repeat(2000)}`)}=1&grant_type=client_credentials`,
        },
      ],
      ['bracketed grant_type', { headers: { 'content-type': FORM }, body: 'grant_type[x]=1' }],
      [
        'array grant_type',
        { headers: { 'content-type': FORM }, body: 'grant_type[]=1&grant_type[]=2' },
      ],
      ['__proto__', { headers: { 'content-type': FORM }, body: '__proto__[x]=1&grant_type=x' }],
      [
        'constructor prototype',
        { headers: { 'content-type': FORM }, body: 'constructor[prototype][x]=1&toString=1' },
      ],
      [
        'bad percent-encoding',
        { headers: { 'content-type': FORM }, body: 'grant_type=%E0%A4%A&%=%' },
      ],
      ['null bytes', { headers: { 'content-type': FORM }, body: 'grant_type=%00&client_id=%00' }],
      [
        'raw binary',
        { headers: { 'content-type': FORM }, body: Buffer.from([0, 255, 254, 1, 61, 38]) },
      ],
    ];
    for (const [label, req] of cases) {
      expectOAuthRefusal(await send(req), label);
    }
    await expectStillUp();
  });

  it('refuses hostile parameters', async () => {
    const proof = () => proofFor(agent, a.issuer);
    const huge = 'x'.repeat(60_000);
    const forms: Array<[string, Form, boolean]> = [
      ['huge grant_type', { grant_type: huge }, false],
      ['huge client_id', ccForm({ client_id: huge }), true],
      ['huge client_secret', ccForm({ client_secret: huge }), true],
      ['huge scope', ccForm({ scope: huge }), true],
      ['huge resource', ccForm({ resource: `https://x.example/${huge}` }), true],
      ['unicode scope', ccForm({ scope: 'läsa 書く 🚀' }), true],
      ['unicode client', ccForm({ client_id: 'ägent\u202e', client_secret: '🔑' }), true],
      ['null byte client', ccForm({ client_id: 'agent\u0000' }), true],
      ['lone surrogate', ccForm({ client_id: '\ud800' }), true],
      ['scope of spaces', ccForm({ scope: '   ' }), true],
      ['resource not a URI', ccForm({ resource: 'not a uri' }), true],
      ['resource with fragment', ccForm({ resource: 'https://x.example/#f' }), true],
      [
        'audience and resource differ',
        ccForm({ resource: 'https://x.example', audience: 'y' }),
        true,
      ],
      ['unknown audience', ccForm({ audience: '\u0000' }), true],
      ['assertion and secret', ccForm({ client_assertion: 'x', client_assertion_type: 'y' }), true],
      [
        'garbage assertion',
        {
          grant_type: GRANT_TYPE_CLIENT_CREDENTIALS,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: jws({ alg: 'ES256' }, nested(3000)),
        },
        true,
      ],
      [
        'assertion of garbage JSON',
        {
          grant_type: GRANT_TYPE_CLIENT_CREDENTIALS,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: `${b64('{"alg":')}.${b64('[[[')}.${b64('x')}`,
        },
        true,
      ],
      ['subject_token of garbage JSON', exchangeForm(`${b64('{')}.${b64('}')}.${b64('x')}`), true],
      ['subject_token not base64url', exchangeForm('!!!.???.***'), true],
      ['subject_token with null bytes', exchangeForm('a\u0000.b.c'), true],
      ['huge subject_token', exchangeForm(`${b64('{}')}.${huge}.${b64('x')}`), true],
      ['subject_token type unknown', exchangeForm('a.b.c', { subject_token_type: 'x' }), true],
      ['actor_token alone', exchangeForm('a.b.c', { actor_token: 'a.b.c' }), true],
      ['requested_token_type unknown', exchangeForm('a.b.c', { requested_token_type: 'x' }), true],
    ];
    const tokens: Array<[string, string]> = [
      ['alg none', jws({ alg: 'none', typ: 'at+jwt' }, { iss: a.issuer }, '')],
      ['HS256', jws({ alg: 'HS256', typ: 'at+jwt' }, { iss: a.issuer })],
      [
        'huge claim',
        jws({ alg: 'ES256', typ: 'at+jwt' }, { iss: a.issuer, x: 'y'.repeat(10_000) }),
      ],
      ['deep act', jws({ alg: 'ES256', typ: 'at+jwt' }, { iss: a.issuer, act: nested(1500) })],
      [
        'deep header',
        jws({ alg: 'ES256', typ: 'at+jwt', crit: nested(1500) }, { iss: a.issuer, sub: 's' }),
      ],
      [
        'links of garbage',
        jws(
          { alg: 'ES256', typ: 'at+jwt', kid: 'k' },
          {
            iss: a.issuer,
            sub: 's',
            aud: a.issuer,
            client_id: 'c',
            jti: 'j',
            scope: 'read',
            iat: 1,
            exp: 2 ** 40,
            cnf: { jkt: 'x' },
            baton: { v: 1, links: ['a.b.c', 7, null, { x: 1 }] },
          },
        ),
      ],
      [
        'many links',
        jws(
          { alg: 'ES256', typ: 'at+jwt' },
          {
            iss: a.issuer,
            sub: 's',
            aud: a.issuer,
            client_id: 'c',
            jti: 'j',
            scope: 'read',
            iat: 1,
            exp: 2,
            cnf: { jkt: 'x' },
            baton: { v: 1, links: Array.from({ length: 2000 }, () => 'a') },
          },
        ),
      ],
      [
        'unchained, untrusted issuer',
        jws(
          { alg: 'ES256', typ: 'at+jwt', jku: 'http://127.0.0.1:1/jwks' },
          {
            iss: 'http://127.0.0.1:1',
            sub: 's',
            client_id: 'c',
            jti: 'j',
            aud: a.issuer,
            iat: 1,
            exp: 2 ** 40,
            cnf: { jkt: 'x' },
          },
        ),
      ],
      [
        'numbers where strings belong',
        jws(
          { alg: 'ES256', typ: 'at+jwt', kid: 5 },
          { iss: a.issuer, sub: 1, aud: [1, {}], client_id: [], jti: {}, iat: 'now', exp: 1e308 },
        ),
      ],
      [
        'self-issued, unknown kid',
        jws(
          { alg: 'ES256', typ: 'at+jwt', kid: 'no-such-key' },
          {
            iss: a.issuer,
            sub: 's',
            client_id: 'c',
            jti: 'j',
            aud: a.issuer,
            iat: 1,
            exp: 2 ** 40,
            cnf: { jkt: 'x' },
          },
        ),
      ],
    ];
    for (const [label, subjectToken] of tokens) {
      forms.push([`subject_token ${label}`, exchangeForm(subjectToken), true]);
      forms.push([
        `actor_token ${label}`,
        exchangeForm(subjectToken, {
          actor_token: subjectToken,
          actor_token_type: TOKEN_TYPE_ACCESS_TOKEN,
        }),
        true,
      ]);
    }
    for (const [label, form, withProof] of forms) {
      const headers: OutgoingHttpHeaders = withProof ? { dpop: await proof() } : {};
      expectOAuthRefusal(await postForm(encodeForm(form), headers), label);
    }
    await expectStillUp();
  });

  it('refuses hostile DPoP and Authorization headers', async () => {
    const form = encodeForm(ccForm());
    const proof = await proofFor(agent, a.issuer);
    const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;
    const dpops: Array<[string, OutgoingHttpHeaders]> = [
      ['absent', {}],
      ['empty', { dpop: '' }],
      ['repeated', { dpop: [proof, proof] }],
      ['comma-joined', { dpop: `${proof}, ${proof}` }],
      ['not a JWS', { dpop: 'garbage' }],
      ['garbage JSON', { dpop: `${b64('{')}.${b64('[')}.${b64('x')}` }],
      ['huge', { dpop: `${b64('{}')}.${'a'.repeat(7000)}.${b64('x')}` }],
      ['alg none', { dpop: jws({ typ: 'dpop+jwt', alg: 'none', jwk: {} }, {}, '') }],
      [
        'deep jwk',
        { dpop: jws({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', x: nested(400) } }, {}) },
      ],
      [
        'jwk of wrong types',
        {
          dpop: jws(
            { typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 7, x: [], y: {} } },
            {},
          ),
        },
      ],
      [
        'RSA jwk with junk modulus',
        {
          dpop: jws(
            { typ: 'dpop+jwt', alg: 'PS256', jwk: { kty: 'RSA', n: 'A'.repeat(3000), e: 'AQAB' } },
            { jti: 'j', htm: 'POST', htu: `${a.issuer}/token`, iat: Math.floor(Date.now() / 1000) },
          ),
        },
      ],
      [
        'private jwk',
        { dpop: jws({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'oct', k: 'AA' } }, {}) },
      ],
    ];
    for (const [label, headers] of dpops) {
      expectOAuthRefusal(await postForm(form, headers), `DPoP ${label}`);
    }
    const authorizations = [
      'Basic',
      'Basic ',
      'Basic !!!!',
      'Basic ====',
      basic('no-colon'),
      basic('%zz:%zz'),
      basic(':'),
      basic('agent:'),
      basic('ägent\u0000:🔑'),
      `Basic ${'QUFB'.repeat(2000)}`,
      'Bearer x',
      `DPoP ${proof}`,
      'Digest username="x"',
      ',,,',
    ];
    for (const authorization of authorizations) {
      const body = encodeForm({ grant_type: GRANT_TYPE_CLIENT_CREDENTIALS });
      expectOAuthRefusal(
        await postForm(body, { authorization, dpop: await proofFor(agent, a.issuer) }),
        `Authorization ${authorization.slice(0, 40)}`,
      );
    }
    expectOAuthRefusal(
      await postForm(encodeForm({ grant_type: GRANT_TYPE_CLIENT_CREDENTIALS }), {
        // Capitalised: OutgoingHttpHeaders types `authorization` as one string.
        Authorization: [basic('agent:x'), basic('agent:y')],
        dpop: await proofFor(agent, a.issuer),
      }),
      'Authorization repeated',
    );
    await expectStillUp();
  });

  it('refuses arbitrary forms and headers (fast-check)', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 64 }),
      fc.string({ unit: 'binary', maxLength: 64 }),
      fc.constantFrom(
        GRANT_TYPE_CLIENT_CREDENTIALS,
        GRANT_TYPE_TOKEN_EXCHANGE,
        TOKEN_TYPE_ACCESS_TOKEN,
        'agent',
        SECRET,
        a.issuer,
        'a.b.c',
        `${b64('{"alg":"ES256","typ":"at+jwt"}')}.${b64('{"iss":1}')}.${b64('x')}`,
      ),
    );
    const name = fc.oneof(
      fc.constantFrom(
        'grant_type',
        'client_id',
        'client_secret',
        'scope',
        'resource',
        'audience',
        'subject_token',
        'subject_token_type',
        'actor_token',
        'actor_token_type',
        'requested_token_type',
        'client_assertion',
        'client_assertion_type',
      ),
      fc.string({ maxLength: 16 }),
    );
    const header = fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), {
      nil: undefined,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(name, fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 8 }),
        header,
        header,
        fc.boolean(),
        async (form, dpop, authorization, withProof) => {
          const headers: OutgoingHttpHeaders = {};
          const proofHeader = withProof ? await proofFor(agent, a.issuer) : dpop;
          if (proofHeader !== undefined) {
            headers['dpop'] = proofHeader.trim();
          }
          if (authorization !== undefined) {
            headers['authorization'] = authorization.trim();
          }
          const answer = await postForm(encodeForm(form), headers);
          // A random form that happens to be a valid client_credentials request may succeed.
          if (answer.status !== 200) {
            expectOAuthRefusal(answer, `form ${JSON.stringify(form).slice(0, 200)}`);
          }
        },
      ),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        expectOAuthRefusal(await postForm(Buffer.from(bytes).toString('latin1')), 'random bytes');
      }),
      { numRuns: 100 },
    );
    await expectStillUp();
  });

  it('answers garbage on the GET routes and other methods without a 500', async () => {
    const paths = [
      '/%',
      '/%E0%A4%A',
      '/token/%zz',
      `/${'a'.repeat(6000)}`,
      '/.well-known/oauth-authorization-server/%zz',
      '/.well-known/oauth-authorization-server/../../jwks',
      '/jwks?a[b][c][d][e][f][g][h]=1&__proto__[x]=1',
      '/jwks/%00',
      '/health?%',
      '/health/%FF',
      '/token?grant_type=client_credentials',
    ];
    for (const path of paths) {
      for (const method of ['GET', 'HEAD', 'OPTIONS']) {
        const answer = await send({
          method,
          path,
          headers: { authorization: 'Basic !!!', dpop: 'x', accept: '*/*;q=x' },
        });
        expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
      }
    }
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const answer = await postForm('grant_type=x', {});
      expect(answer.status).toBeLessThan(500);
      const other = await send({ method, headers: { 'content-type': FORM }, body: 'a=b' });
      expect(other.status, `${method} /token`).toBeLessThan(500);
    }
    await expectStillUp();
  });
});
