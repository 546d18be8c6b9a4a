import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainError,
  MemoryReplayStore,
  httpStatusFor,
  resourceErrorFor,
  verifyRequest,
  wwwAuthenticate,
  type VerifyRequestOptions,
} from '@baton/chain';
import { createFederation, type BuiltChain, type Federation } from './fixtures/federation.js';

// A partner API on plain node:http — no framework — exactly as a README would show it.
function handler(publicBaseUrl: string, options: VerifyRequestOptions): RequestListener {
  return (req, res) => {
    const presented = {
      method: req.method ?? 'GET',
      url: publicBaseUrl + (req.url ?? '/'),
      headers: req.headersDistinct,
    };
    verifyRequest(presented, { ...options, requiredScopes: ['orders:read'] }).then(
      (verified) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ subject: verified.subject, route: verified.hops.map((h) => h.domain) }),
        );
      },
      (error: unknown) => {
        if (!(error instanceof ChainError)) {
          res.writeHead(500).end();
          return;
        }
        const refusal = resourceErrorFor(error);
        res.writeHead(httpStatusFor(error), {
          'www-authenticate': wwwAuthenticate(error, { algorithms: ['ES256'] }),
          'content-type': 'application/json',
        });
        res.end(JSON.stringify({ error: refusal.error, error_description: refusal.description }));
      },
    );
  };
}

interface Reply {
  status: number;
  challenge: string | undefined;
  body: unknown;
}

/** node:http client, so a request can carry a header twice. */
function send(url: string, headers: Record<string, string | string[]>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers }, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          challenge: res.headers['www-authenticate'],
          body: text === '' ? undefined : JSON.parse(text),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

let fed: Federation;
let chain: BuiltChain;
let server: Server;
let base: string;

beforeAll(async () => {
  let listener: RequestListener = (_req, res) => res.writeHead(503).end();
  server = createServer((req, res) => listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fed = await createFederation({ domains: ['a', 'b', 'c'], resource: base });
  chain = await fed.issueChain({ scope: 'orders:read' });
  const options = {
    ...fed.verifyOptions({ now: undefined }),
    replayStore: new MemoryReplayStore(),
  };
  listener = handler(base, options);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function proofFor(url: string, token = chain.token): Promise<string> {
  return fed.agent.proof({ method: 'GET', url, accessToken: token });
}

describe('verifyRequest in a plain node:http server', () => {
  it('answers 200 with the verified chain for an honest token and proof', async () => {
    const url = `${base}/api/orders`;
    const reply = await send(url, {
      authorization: `DPoP ${chain.token}`,
      dpop: await proofFor(url),
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      subject: 'agent',
      route: ['https://a.example', 'https://b.example', 'https://c.example'],
    });
  });

  it('answers 401 with a bare DPoP challenge when no token is sent', async () => {
    const reply = await send(`${base}/api/orders`, {});
    expect(reply.status).toBe(401);
    expect(reply.challenge).toBe('DPoP algs="ES256"');
  });

  it('answers 400 invalid_request to two Authorization header lines (headersDistinct keeps both)', async () => {
    const url = `${base}/api/orders`;
    const reply = await send(url, {
      authorization: [`DPoP ${chain.token}`, `DPoP ${chain.tokens[1]}`],
      dpop: await proofFor(url),
    });
    expect(reply.status).toBe(400);
    expect(reply.challenge).toMatch(/^DPoP error="invalid_request"/);
  });

  it('answers 401 invalid_dpop_proof to a replayed request', async () => {
    const url = `${base}/api/orders?first`;
    const headers = {
      authorization: `DPoP ${chain.token}`,
      dpop: await proofFor(`${base}/api/orders`),
    };
    expect((await send(url, headers)).status).toBe(200);
    const replay = await send(url, headers);
    expect(replay.status).toBe(401);
    expect(replay.challenge).toMatch(/^DPoP error="invalid_dpop_proof"/);
  });
});
