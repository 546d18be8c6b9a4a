import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadBrokerConfigFile } from './load-broker-config-file.js';

const load = (name: string) => loadBrokerConfigFile(`config/${name}.yaml`, {});

describe('the demo federation configs (config/a.yaml, b.yaml, c.yaml)', () => {
  const [a, b, c] = ['a', 'b', 'c'].map(load);

  it('are valid demo-mode domains on loopback with their own SQLite files', () => {
    expect([a, b, c].map((config) => [config.mode, config.issuer, config.database])).toEqual([
      ['demo', 'http://127.0.0.1:4001', { type: 'sqlite', path: '.baton/data/a.sqlite' }],
      ['demo', 'http://127.0.0.1:4002', { type: 'sqlite', path: '.baton/data/b.sqlite' }],
      ['demo', 'http://127.0.0.1:4003', { type: 'sqlite', path: '.baton/data/c.sqlite' }],
    ]);
  });

  it('trust each other as the journey A → B → C needs', () => {
    expect(a.peers).toEqual([]);
    expect(a.policy.audiences).toContain(b.issuer);
    expect(b.peers.map((peer) => [peer.issuer, peer.discover, peer.roles])).toEqual([
      [a.issuer, true, ['present', 'upstream']],
    ]);
    expect(b.peers[0].allowedAudiences).toContain(c.issuer);
    expect(c.peers.map((peer) => [peer.issuer, peer.discover, peer.roles])).toEqual([
      [b.issuer, true, ['present', 'upstream']],
      [a.issuer, true, ['upstream']],
    ]);
  });

  it('register the demo agent at A and B with the public half of the committed demo key', async () => {
    const privateJwk = JSON.parse(
      readFileSync('config/demo-keys/agent.private.jwk.json', 'utf8'),
    ) as JWK;
    const thumbprint = await calculateJwkThumbprint(privateJwk);
    for (const config of [a, b]) {
      const agent = config.clients.find((client) => client.clientId === 'agent')!;
      expect(agent.authMethod).toBe('private_key_jwt');
      expect(await calculateJwkThumbprint(agent.jwks!.keys[0] as JWK)).toBe(thumbprint);
    }
    expect(a.clients.find((client) => client.clientId === 'demo-service')?.authMethod).toBe(
      'client_secret_basic',
    );
  });
});
