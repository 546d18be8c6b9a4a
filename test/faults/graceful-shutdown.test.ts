import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { GRANT_TYPE_CLIENT_CREDENTIALS } from '@baton/chain/protocol';
import { createAgent } from '../../libs/chain/test/fixtures/federation.js';
import { closeGracefully } from '../../apps/broker/src/http/graceful-shutdown.js';
import { startBrokerDomain, type BrokerDomain } from '../support/index.js';
import { encodeForm, proofFor, secretAuth, secretClient } from '../token-helpers.js';
import { unrecordedTokens } from './fault-helpers.js';

/** Send the request head now and the body later, on a raw socket; resolves to the raw response. */
function slowRequest(url: string, head: Record<string, string>, body: string) {
  const { port } = new URL(url);
  const socket: Socket = connect(Number(port), '127.0.0.1');
  const lines = Object.entries({
    ...head,
    'content-length': String(body.length),
    connection: 'close',
  })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  socket.write(`POST /token HTTP/1.1\r\nhost: 127.0.0.1\r\n${lines}\r\n\r\n`);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const done = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  return { finish: () => socket.write(body), done };
}

// Issue 8, also expected: graceful shutdown in bounded time.
describe('fault: shutdown with requests in flight', () => {
  let a: BrokerDomain | undefined;
  afterAll(() => a?.database.drop());

  it('finishes the request in flight with its record, cuts a stalled one, and closes in bounded time', async () => {
    a = await startBrokerDomain({
      configOverrides: { clients: [secretClient('agent', ['read'])] },
    });
    const agent = await createAgent();
    const head = {
      'content-type': 'application/x-www-form-urlencoded',
      dpop: await proofFor(agent, a.issuer),
    };
    const inFlight = slowRequest(
      a.url,
      head,
      encodeForm({ grant_type: GRANT_TYPE_CLIENT_CREDENTIALS, ...secretAuth('agent') }),
    );
    const stalled = slowRequest(a.url, head, 'grant_type=client_credentials');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const start = performance.now();
    const closing = closeGracefully(a.app, 3000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    inFlight.finish();
    const answer = await inFlight.done;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    await closing;
    expect(performance.now() - start).toBeLessThan(15_000);
    expect(await stalled.done).not.toMatch(/^HTTP\/1\.1 200/);

    const token = /"access_token":"([^"]+)"/.exec(answer)?.[1];
    expect(token).toBeDefined();
    expect(await unrecordedTokens(a, [token!])).toEqual([]);
  });
});
