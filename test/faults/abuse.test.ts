import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GRANT_TYPE_CLIENT_CREDENTIALS } from '@baton/chain/protocol';
import { CLIENT_ASSERTION_TYPE_JWT_BEARER } from '@baton/chain/protocol';
import { createAgent } from '../../libs/chain/test/fixtures/federation.js';
import { startBrokerDomain, type BrokerDomain } from '../support/index.js';
import {
  encodeForm,
  keyClient,
  postToken,
  proofFor,
  secretClient,
  type TokenAnswer,
} from '../token-helpers.js';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

// Issue 8 §5: floods of wrong secrets, too many requests, slow clients.
describe('fault: abuse of the token endpoint', () => {
  let a: BrokerDomain | undefined;
  afterEach(() => a?.close());

  it('a wrong-secret flood gets 429s and the private_key_jwt client keeps being served', async () => {
    const keyed = await keyClient('keyed', ['read']);
    a = await startBrokerDomain({
      configOverrides: {
        clients: [secretClient('victim', ['read'], 'client_secret_basic'), keyed.config],
      },
    });
    const domain = a;
    const agent = await createAgent();
    const flood: TokenAnswer[] = [];
    // Each attacker sends all its requests (bounded), however fast the legitimate client is
    // served, so the limits are reached whatever the machine's load.
    const attacker = async (index: number) => {
      for (let i = 0; i < 12; i++) {
        const id = index % 2 === 0 ? 'victim' : `nobody-${index}-${i}`;
        flood.push(
          await postToken(
            domain.url,
            { grant_type: GRANT_TYPE_CLIENT_CREDENTIALS },
            { headers: { authorization: basic(id, 'wrong-secret-0123456789') } },
          ),
        );
      }
    };
    const attackers = Array.from({ length: 16 }, (_, index) => attacker(index));
    const latencies: number[] = [];
    for (let i = 0; i < 8; i++) {
      const start = performance.now();
      const answer = await postToken(
        domain.url,
        {
          grant_type: GRANT_TYPE_CLIENT_CREDENTIALS,
          client_assertion_type: CLIENT_ASSERTION_TYPE_JWT_BEARER,
          client_assertion: await keyed.assertion(domain.issuer),
        },
        { dpop: await proofFor(agent, domain.issuer) },
      );
      latencies.push(performance.now() - start);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
    await Promise.all(attackers);
    const limited = flood.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const answer of limited) {
      expect(answer.body.error).toBe('temporarily_unavailable');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(flood.every((answer) => [401, 429, 503].includes(answer.status))).toBe(true);
    expect(flood.some((answer) => answer.status === 200)).toBe(false);
    // Generous (the machine is shared): the flood costs at most `secretHashConcurrency` of libuv's
    // four threads, so the key-authenticated client is never queued behind it for long.
    expect(Math.max(...latencies), latencies.map(Math.round).join(' ')).toBeLessThan(10_000);
  });

  it('per-source and per-client limits answer 429 with Retry-After in RFC 6749 JSON', async () => {
    a = await startBrokerDomain({
      configOverrides: {
        clients: [secretClient('agent', ['read'])],
        rateLimits: { windowSeconds: 60, perClient: 3, perSource: 6 },
      },
    });
    const domain = a;
    const form = (clientId: string) => ({
      grant_type: GRANT_TYPE_CLIENT_CREDENTIALS,
      client_id: clientId,
      client_secret: 'not-checked-here-0123456789',
    });
    const agentAnswers: TokenAnswer[] = [];
    for (let i = 0; i < 4; i++) {
      agentAnswers.push(await postToken(domain.url, form('agent')));
    }
    expect(agentAnswers.slice(0, 3).map((x) => x.status)).not.toContain(429);
    expect(agentAnswers[3].status).toBe(429);
    expect(agentAnswers[3].body.error_description).toMatch(/this client/);
    expect(Number(agentAnswers[3].headers.get('retry-after'))).toBeGreaterThan(0);
    const others: TokenAnswer[] = [];
    for (let i = 0; i < 3; i++) {
      others.push(await postToken(domain.url, form(`other-${i}`)));
    }
    expect(others[2].status).toBe(429);
    expect(others[2].body.error_description).toMatch(/this source/);
    expect(others[2].headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('a slow-drip request body is cut after the request timeout', async () => {
    a = await startBrokerDomain({
      configOverrides: { http: { headersTimeoutMs: 1000, requestTimeoutMs: 1500 } },
    });
    const { port } = new URL(a.url);
    const socket = connect(Number(port), '127.0.0.1');
    const body = encodeForm({ grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, client_id: 'x' });
    socket.write(
      `POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    const start = performance.now();
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < body.length - 1 && !socket.destroyed) {
        socket.write(body[sent++]);
      }
    }, 200);
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    clearInterval(drip);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeLessThan(15_000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(received).toMatch(/"error":"invalid_request"/);
  });
});
