import { describe, expect, it } from 'vitest';
import { ConfigError } from '@baton/config';
import { parseBrokerConfig } from './parse-broker-config.js';
import { verifyClientSecret } from './client-secret.js';

const AGENT_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};

function valid(): Record<string, unknown> {
  return {
    mode: 'demo',
    issuer: 'http://127.0.0.1:4001',
    listen: { port: 4001 },
    clients: [
      {
        clientId: 'agent',
        authMethod: 'private_key_jwt',
        jwks: { keys: [AGENT_JWK] },
        scopes: ['orders:read'],
      },
      {
        clientId: 'svc',
        authMethod: 'client_secret_basic',
        secret: 'a-demo-secret-long-enough',
        scopes: ['orders:read'],
      },
    ],
    peers: [{ issuer: 'https://b.example', discover: true, allowedScopes: ['orders:read'] }],
  };
}

function issuesOf(raw: unknown, env: Record<string, string | undefined> = {}): string[] {
  try {
    parseBrokerConfig(raw, { source: 'config/a.yaml', env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('parseBrokerConfig', () => {
  it('accepts a valid file, applies defaults and freezes the result', () => {
    const config = parseBrokerConfig(valid(), { source: 'config/a.yaml', env: {} });
    expect(config.issuer).toBe('http://127.0.0.1:4001');
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 4001 });
    expect(config.keys.algorithm).toBe('ES256');
    expect(config.database).toEqual({ type: 'sqlite', path: '.baton/data/broker.sqlite' });
    expect(config.peers[0].roles).toEqual(['present', 'upstream']);
    expect(config.clients[0].grantTypes).toEqual([
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:token-exchange',
    ]);
    expect(Object.isFrozen(config.clients[0])).toBe(true);
  });

  it('hashes client secrets and never keeps the secret', async () => {
    const config = parseBrokerConfig(valid(), { source: 'config/a.yaml', env: {} });
    const hash = config.clients[1].secretHash!;
    expect(hash).toMatch(/^scrypt:[\w-]+:[\w-]+$/);
    expect(JSON.stringify(config)).not.toContain('a-demo-secret-long-enough');
    expect(await verifyClientSecret(hash, 'a-demo-secret-long-enough')).toBe(true);
    expect(await verifyClientSecret(hash, 'a-demo-secret-long-enougH')).toBe(false);
    expect(await verifyClientSecret('scrypt:bad', 'x')).toBe(false);
  });

  it('reads a client secret and the key-encryption key from the environment', async () => {
    const raw: Record<string, unknown> = {
      ...valid(),
      mode: 'production',
      keys: { encryptionKeyEnv: 'KEK' },
    };
    (raw.clients as Record<string, unknown>[])[1] = {
      clientId: 'svc',
      authMethod: 'client_secret_post',
      secretEnv: 'SVC_SECRET',
      scopes: [],
    };
    const config = parseBrokerConfig(raw, {
      source: 'f',
      env: { KEK: 'ab'.repeat(32), SVC_SECRET: 'from-the-environment!' },
    });
    expect(config.keys.encryptionKey).toEqual(Buffer.alloc(32, 0xab));
    expect(await verifyClientSecret(config.clients[1].secretHash, 'from-the-environment!')).toBe(
      true,
    );
  });

  it('refuses a missing issuer, naming the file and the field', () => {
    const { issuer: _drop, ...raw } = valid();
    expect(issuesOf(raw)).toEqual(['config/a.yaml: issuer is required']);
  });

  it.each([
    ['ftp://a.example', 'issuer must be an https URL (http is accepted only on loopback hosts)'],
    ['http://a.example', 'issuer must be an https URL (http is accepted only on loopback hosts)'],
    ['https://a.example/?x=1', 'issuer must not contain a query (RFC 8414 §2)'],
    ['https://a.example#f', 'issuer must not contain a fragment'],
    ['https://a.example/', 'issuer must not end with a slash'],
    ['not a url', 'issuer must be an https URL'],
  ])('refuses the issuer %s', (issuer, message) => {
    expect(issuesOf({ ...valid(), issuer })).toEqual([`config/a.yaml: ${message}`]);
  });

  it('accepts http on loopback hosts and https with a path', () => {
    for (const issuer of [
      'http://localhost:4001',
      'http://[::1]:4001',
      'https://a.example/tenant',
    ]) {
      expect(parseBrokerConfig({ ...valid(), issuer }, { source: 'f', env: {} }).issuer).toBe(
        issuer,
      );
    }
  });

  it('refuses an unknown signing algorithm', () => {
    expect(issuesOf({ ...valid(), keys: { algorithm: 'HS256' } })).toEqual([
      'config/a.yaml: keys.algorithm must be one of ES256, ES384, EdDSA, PS256',
    ]);
  });

  it('refuses a duplicate client id', () => {
    const raw = valid();
    (raw.clients as unknown[]).push({
      clientId: 'agent',
      authMethod: 'private_key_jwt',
      jwks: { keys: [AGENT_JWK] },
      scopes: [],
    });
    expect(issuesOf(raw)).toEqual([
      'config/a.yaml: clients[2].clientId duplicates clients[0].clientId "agent"',
    ]);
  });

  it('refuses a peer without keys and a peer with both key sources', () => {
    const raw = {
      ...valid(),
      peers: [
        { issuer: 'https://b.example', jwks: { keys: [AGENT_JWK] }, discover: true },
        { issuer: 'https://c.example' },
      ],
    };
    expect(issuesOf(raw)).toEqual([
      'config/a.yaml: peers[0] sets both jwks and discover: true; choose one',
      'config/a.yaml: peers[1] has no keys: set jwks or discover: true',
    ]);
  });

  it('reports every bad path at once', () => {
    const raw = {
      ...valid(),
      listen: { port: 'x' },
      peers: [
        { issuer: 'https://b.example', discover: true },
        { issuer: 'http://evil.example', discover: true },
      ],
      tokens: { accessTokenTtlSeconds: 7200, maxTokenTtlSeconds: 3600 },
      colour: 'blue',
    };
    expect(issuesOf(raw)).toEqual([
      'config/a.yaml: colour is not a known field',
      'config/a.yaml: listen.port must be an integer number',
      'config/a.yaml: peers[1].issuer must be an https URL (http is accepted only on loopback hosts)',
      'config/a.yaml: tokens.accessTokenTtlSeconds must not exceed tokens.maxTokenTtlSeconds (3600)',
    ]);
  });

  it('refuses a private key in a client jwks', () => {
    const raw = valid();
    (raw.clients as Record<string, unknown>[])[0].jwks = { keys: [{ ...AGENT_JWK, d: 'secret' }] };
    expect(issuesOf(raw)).toEqual([
      'config/a.yaml: clients[0].jwks keys[0] must be a public key (it has the private member "d")',
    ]);
  });

  it('refuses mismatched client credentials', () => {
    const raw = {
      ...valid(),
      clients: [
        {
          clientId: 'a',
          authMethod: 'private_key_jwt',
          secret: 'a-demo-secret-long-enough',
          scopes: [],
        },
        { clientId: 'b', authMethod: 'client_secret_basic', scopes: [] },
        { clientId: 'c', authMethod: 'client_secret_jwt', scopes: ['bad scope'] },
      ],
    };
    expect(issuesOf(raw)).toEqual([
      'config/a.yaml: clients[2].authMethod must be one of private_key_jwt, client_secret_basic, client_secret_post',
      'config/a.yaml: clients[2].scopes must hold RFC 6749 §3.3 scope tokens (no spaces, quotes or backslashes)',
      'config/a.yaml: clients[0].secret is not used with private_key_jwt (the client authenticates with its jwks)',
      'config/a.yaml: clients[0].jwks is required for private_key_jwt (RFC 7523 §2.2)',
      'config/a.yaml: clients[1] needs exactly one of secret, secretEnv, secretHash for client_secret_basic',
    ]);
  });

  it('refuses production mode without a key-encryption key, or with a secret in the file', () => {
    expect(issuesOf({ ...valid(), mode: 'production' })).toEqual([
      'config/a.yaml: clients[1].secret must not be written in the file in production mode; use secretEnv or secretHash',
      'config/a.yaml: keys.encryptionKeyEnv is required in production mode (the environment variable holding the 32-byte key-encryption key)',
    ]);
  });

  it('refuses an environment variable that is unset or holds a bad key', () => {
    expect(issuesOf({ ...valid(), keys: { encryptionKeyEnv: 'KEK' } })).toEqual([
      'config/a.yaml: keys.encryptionKeyEnv names KEK, which is not set in the environment',
    ]);
    expect(issuesOf({ ...valid(), keys: { encryptionKeyEnv: 'KEK' } }, { KEK: 'short' })).toEqual([
      'config/a.yaml: keys.encryptionKeyEnv names KEK, which must hold a 32-byte key (43 base64url characters or 64 hex digits)',
    ]);
  });

  it('refuses a peer that is the domain itself, a peer depth above policy, and bad database settings', () => {
    const raw = {
      ...valid(),
      peers: [{ issuer: 'http://127.0.0.1:4001', discover: true, maxChainDepth: 9 }],
      database: { type: 'postgres', schema: 'x' },
    };
    expect(issuesOf(raw)).toEqual([
      'config/a.yaml: peers[0].issuer is this domain itself; a domain is not its own peer',
      'config/a.yaml: peers[0].maxChainDepth must not exceed policy.maxChainDepth (5)',
      'config/a.yaml: database needs exactly one of url and urlEnv for postgres',
    ]);
  });

  it('refuses a DPoP proof age beyond the hop-proof window every verifier applies', () => {
    // A proof older than that would be embedded in a link that fails invariant 4 downstream.
    expect(issuesOf({ ...valid(), dpop: { maxAgeSeconds: 301 } })).toEqual([
      'config/a.yaml: dpop.maxAgeSeconds must not be greater than 300',
    ]);
    const raw = { ...valid(), dpop: { maxAgeSeconds: 300 } };
    expect(parseBrokerConfig(raw, { source: 'a', env: {} }).dpop.maxAgeSeconds).toBe(300);
  });

  it('refuses a clock skew wider than the one downstream verifiers allow a hop proof', () => {
    // A proof dated further ahead than their skew would sit in a link they refuse (invariant 4).
    expect(issuesOf({ ...valid(), dpop: { clockSkewSeconds: 31 } })).toEqual([
      'config/a.yaml: dpop.clockSkewSeconds must not be greater than 30',
    ]);
  });

  it("refuses a key pre-publication shorter than the peers' JWKS refetch cool-down", () => {
    // Issue 8: with 0 s a peer refused 2 of 1982 exchanges at the rotation instant.
    expect(issuesOf({ ...valid(), keys: { prePublishSeconds: 0 } })).toEqual([
      expect.stringMatching(
        /^config\/a\.yaml: keys\.prePublishSeconds must be at least 30 \(peers refetch/,
      ),
    ]);
    const raw = { ...valid(), keys: { prePublishSeconds: 30 } };
    expect(parseBrokerConfig(raw, { source: 'a', env: {} }).keys.prePublishSeconds).toBe(30);
  });

  it('refuses a headers deadline longer than the whole-request deadline', () => {
    expect(
      issuesOf({ ...valid(), http: { headersTimeoutMs: 20_000, requestTimeoutMs: 5000 } }),
    ).toEqual([
      'config/a.yaml: http.headersTimeoutMs must not exceed http.requestTimeoutMs (5000)',
    ]);
  });

  it('refuses a file that is not a mapping', () => {
    expect(issuesOf(['a'])).toEqual([
      'config/a.yaml: must contain a mapping of settings at the top level',
    ]);
  });
});
