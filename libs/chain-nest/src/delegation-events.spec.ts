import 'reflect-metadata';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module, Param, UseGuards, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createFederation,
  type BuiltChain,
  type Federation,
} from '../../chain/test/fixtures/federation.js';
import { ChainModule, DelegationGuard, RequireScopes, type DelegationEvent } from './index.js';

@Controller('api')
@UseGuards(DelegationGuard)
@RequireScopes('orders:read')
class OrdersController {
  @Get('orders/:id')
  order(@Param('id') id: string): { id: string } {
    return { id };
  }
}

let fed: Federation;
let chain: BuiltChain;
let app: INestApplication;
let base: string;
let closeServer: () => Promise<void>;
const events: DelegationEvent[] = [];
let failHook = false;

async function call(path: string, token?: string): Promise<number> {
  const url = base + path;
  const headers: Record<string, string> = {};
  if (token !== undefined) {
    headers['authorization'] = `DPoP ${token}`;
    headers['dpop'] = await fed.agent.proof({ method: 'GET', url, accessToken: token });
  }
  return (await fetch(url, { headers })).status;
}

beforeAll(async () => {
  fed = await createFederation({ domains: ['a', 'b', 'c'] });
  chain = await fed.issueChain({ scope: 'orders:read' });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  @Module({
    imports: [
      ChainModule.forRoot({
        ...fed.verifyOptions({ now: undefined }),
        publicBaseUrl: base,
        dpopAlgorithms: ['ES256'],
        onDecision: (event) => {
          events.push(event);
          if (failHook) {
            throw new Error('the log is down');
          }
        },
      }),
    ],
    controllers: [OrdersController],
  })
  class AppModule {}
  app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.init();
  server.on('request', app.getHttpAdapter().getInstance() as RequestListener);
  closeServer = () => new Promise((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await app?.close();
  await closeServer?.();
});

beforeEach(() => {
  events.length = 0;
  failHook = false;
});

describe('DelegationGuard decision events', () => {
  it('emits an accepted event with the route pattern and the verified chain summary, never the token', async () => {
    expect(await call('/api/orders/42?x=1', chain.token)).toBe(200);
    expect(events).toEqual([
      {
        outcome: 'accepted',
        at: expect.any(Number) as number,
        method: 'GET',
        route: '/api/orders/:id',
        chain: {
          subject: 'agent',
          agentKeyThumbprint: fed.agent.jkt,
          originIssuer: 'https://a.example',
          issuers: ['https://a.example', 'https://b.example', 'https://c.example'],
          depth: 3,
          scope: ['orders:read'],
          token: { iss: 'https://c.example', jti: expect.any(String) as string },
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(chain.token.split('.')[2]);
  });

  it('emits a refused event with the library code for a forged token and for no credentials', async () => {
    expect(await call('/api/orders/1', `${chain.token.slice(0, -4)}AAAA`)).toBe(401);
    expect(await call('/api/orders/1')).toBe(401);
    expect(events).toMatchObject([
      {
        outcome: 'refused',
        route: '/api/orders/:id',
        code: 'ERR_SIGNATURE',
        invariant: 1,
        error: 'invalid_token',
        status: 401,
      },
      { outcome: 'refused', route: '/api/orders/:id', status: 401 },
    ]);
    expect(events[1]).not.toHaveProperty('error');
  });

  it('answers as usual when the hook fails', async () => {
    failHook = true;
    expect(await call('/api/orders/7', chain.token)).toBe(200);
    expect(events).toHaveLength(1);
  });
});
