import 'reflect-metadata';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Catch,
  Controller,
  Get,
  HttpException,
  Module,
  UseGuards,
  type ArgumentsHost,
  type ExceptionFilter,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkCache, type VerifiedRequest } from '@baton/chain';
import {
  createFederation,
  type BuiltChain,
  type Federation,
} from '../../chain/test/fixtures/federation.js';
import {
  ChainModule,
  Delegation,
  DelegationGuard,
  RESOLVED_CHAIN_OPTIONS,
  RequireScopes,
  type ChainModuleOptions,
  type ResolvedChainOptions,
} from './index.js';
import { DEFAULT_LINK_CACHE, resolveChainOptions } from './resolved-chain-options.js';

@Controller('api')
@UseGuards(DelegationGuard)
@RequireScopes('orders:read')
class TestController {
  @Get('orders')
  orders(@Delegation() d: VerifiedRequest): { subject: string; route: string[]; jkt: string } {
    return { subject: d.subject, route: d.hops.map((h) => h.domain), jkt: d.proof.jkt };
  }

  @Get('admin')
  @RequireScopes('orders:admin')
  admin(): { ok: true } {
    return { ok: true };
  }
}

@Controller('open')
class UnguardedController {
  @Get()
  open(@Delegation() d: VerifiedRequest): string {
    return d.subject;
  }
}

/** An application filter that writes its own body: the guard's headers must survive it. */
@Catch(HttpException)
class CustomBodyFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const res = host
      .switchToHttp()
      .getResponse<{ status(s: number): { json(b: unknown): void } }>();
    res.status(exception.getStatus()).json({ custom: true });
  }
}

interface Started {
  app: INestApplication;
  base: string;
  close(): Promise<void>;
}

/** Listens first (port 0), then builds the app for that URL and serves it: no port race. */
async function startApp(
  options: (base: string) => ChainModuleOptions,
  flavour: { async?: boolean; filter?: boolean } = {},
): Promise<Started> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const chainModule = flavour.async
    ? ChainModule.forRootAsync({ useFactory: () => Promise.resolve(options(base)) })
    : ChainModule.forRoot(options(base));
  @Module({ imports: [chainModule], controllers: [TestController, UnguardedController] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  if (flavour.filter === true) {
    app.useGlobalFilters(new CustomBodyFilter());
  }
  await app.init();
  const listener = app.getHttpAdapter().getInstance() as RequestListener;
  server.on('request', listener);
  return {
    app,
    base,
    close: async () => {
      await app.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let fed: Federation;
let chain: BuiltChain;
let started: Started;
let base: string;
const nonces = new Set<string>();

async function call(
  path: string,
  token?: string,
  extra: { nonce?: string; method?: string; at?: string; scheme?: string } = {},
) {
  const url = `${(extra.at ?? base) + path}`;
  const headers: Record<string, string> = {};
  if (token !== undefined) {
    headers['authorization'] = `${extra.scheme ?? 'DPoP'} ${token}`;
    headers['dpop'] = await fed.agent.proof({
      method: extra.method ?? 'GET',
      url,
      accessToken: token,
      nonce: extra.nonce,
    });
  }
  const res = await fetch(url, { headers });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

function baseOptions(url: string): ChainModuleOptions {
  return {
    ...fed.verifyOptions({ now: undefined }),
    publicBaseUrl: url,
    dpopAlgorithms: ['ES256'],
    realm: 'test',
  };
}

beforeAll(async () => {
  fed = await createFederation({ domains: ['a', 'b', 'c'] });
  chain = await fed.issueChain({ scope: 'orders:read' });
  started = await startApp(baseOptions);
  base = started.base;
});

afterAll(async () => {
  await started?.close();
});

describe('DelegationGuard', () => {
  it('lets an honest chain through and hands the controller the verified request', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { res, body } = await call('/api/orders', chain.token);
    expect(res.status).toBe(200);
    expect(body).toEqual({
      subject: 'agent',
      route: ['https://a.example', 'https://b.example', 'https://c.example'],
      jkt: fed.agent.jkt,
    });
  });

  it('answers a request without a token with 401 and a bare challenge that reaches the client', async () => {
    const { res, body } = await call('/api/orders');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('DPoP realm="test", algs="ES256"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(body).not.toHaveProperty('error');
  });

  it('answers a forged token with 401 invalid_token', async () => {
    const forged = `${chain.token.slice(0, -4)}AAAA`;
    const { res, body } = await call('/api/orders', forged);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^DPoP realm="test", error="invalid_token"/,
    );
    expect(body['error']).toBe('invalid_token');
  });

  it('answers a proof for another method with 401 invalid_dpop_proof', async () => {
    const { res } = await call('/api/orders', chain.token, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_dpop_proof"/);
  });

  it('answers a Bearer presentation with 400 invalid_request', async () => {
    const { res, body } = await call('/api/orders', chain.token, { scheme: 'Bearer' });
    expect(res.status).toBe(400);
    expect(body['error']).toBe('invalid_request');
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
  });

  it('adds method scopes to class scopes: 403 insufficient_scope naming both', async () => {
    const { res, body } = await call('/api/admin', chain.token);
    expect(res.status).toBe(403);
    expect(body['error']).toBe('insufficient_scope');
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/error="insufficient_scope"/);
    expect(challenge).toMatch(/scope="(orders:admin orders:read|orders:read orders:admin)"/);
  });

  it('checks htu against the configured public base URL, not the Host header', async () => {
    const url = `${base}/api/orders`;
    const proof = await fed.agent.proof({
      method: 'GET',
      url: 'http://evil.example/api/orders',
      accessToken: chain.token,
    });
    const res = await fetch(url, {
      headers: {
        authorization: `DPoP ${chain.token}`,
        dpop: proof,
        'x-forwarded-host': 'evil.example',
      },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_dpop_proof"/);
  });

  it('caches verified links by default, and a cached prefix does not let a forged token through', async () => {
    const { linkCache } = started.app.get<ResolvedChainOptions>(RESOLVED_CHAIN_OPTIONS);
    expect(linkCache).toBeInstanceOf(LinkCache);
    expect((await call('/api/orders', chain.token)).res.status).toBe(200);
    expect(linkCache?.size).toBe(chain.links.length);
    expect((await call('/api/orders', chain.token)).res.status).toBe(200);
    expect(linkCache?.size).toBe(chain.links.length);
    const forged = `${chain.token.slice(0, -4)}AAAA`;
    expect((await call('/api/orders', forged)).res.status).toBe(401);
  });

  it('bounds the default link cache, and verifies every link each time with linkCache: false', () => {
    expect(DEFAULT_LINK_CACHE).toEqual({ maxEntries: 10_000, ttlSeconds: 300 });
    expect(resolveChainOptions(baseOptions(base)).linkCache?.ttlSeconds).toBe(300);
    expect(resolveChainOptions({ ...baseOptions(base), linkCache: false }).linkCache).toBe(
      undefined,
    );
  });

  it('fails loudly when @Delegation() is used on a route without the guard', async () => {
    const res = await fetch(`${base}/open`);
    expect(res.status).toBe(500);
  });
});

describe('DelegationGuard with a server nonce, async options and a custom exception filter', () => {
  let nonceApp: Started;

  beforeAll(async () => {
    nonceApp = await startApp(
      (url) => ({
        ...baseOptions(url),
        nonce: {
          check: (n) => n !== undefined && nonces.has(n),
          issue: () => {
            const n = `nonce-${nonces.size + 1}`;
            nonces.add(n);
            return n;
          },
        },
      }),
      { async: true, filter: true },
    );
  });

  afterAll(async () => {
    await nonceApp?.close();
  });

  it('answers a proof without nonce with use_dpop_nonce and a DPoP-Nonce, then accepts the retry', async () => {
    const first = await call('/api/orders', chain.token, { at: nonceApp.base });
    expect(first.res.status).toBe(401);
    expect(first.body).toEqual({ custom: true });
    expect(first.res.headers.get('www-authenticate')).toMatch(/error="use_dpop_nonce"/);
    const nonce = first.res.headers.get('dpop-nonce');
    expect(nonce).toMatch(/^nonce-\d+$/);
    const retry = await call('/api/orders', chain.token, { at: nonceApp.base, nonce: nonce! });
    expect(retry.res.status).toBe(200);
  });
});
