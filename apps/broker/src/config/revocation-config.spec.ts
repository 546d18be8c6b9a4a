import { describe, expect, it } from 'vitest';
import { ConfigError } from '@baton/config';
import { verifyClientSecret } from './client-secret.js';
import { parseBrokerConfig } from './parse-broker-config.js';

const SECRET = 'an-administrator-secret-of-32-chars-or-more';

function raw(revocation: unknown, mode = 'demo'): Record<string, unknown> {
  return {
    mode,
    issuer: 'http://127.0.0.1:4001',
    listen: { port: 4001 },
    keys: { encryptionKeyEnv: 'KEK' },
    clients: [{ clientId: 'rs', authMethod: 'client_secret_basic', secretEnv: 'RS', scopes: [] }],
    revocation,
  };
}

const env = { KEK: 'a'.repeat(64), RS: 'a-resource-server-secret', ADMIN: SECRET };

function issuesOf(value: Record<string, unknown>): string[] {
  try {
    parseBrokerConfig(value, { source: 'a.yaml', env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  return [];
}

describe('revocation: configuration', () => {
  it('defaults: 300 s list TTL, no administrator, no introspecting client, everyone fail-closed', () => {
    const config = parseBrokerConfig(raw(undefined), { source: 'a.yaml', env });
    expect(config.revocation).toEqual({
      statusListTtlSeconds: 300,
      introspectionClients: [],
      failOpenIssuers: [],
    });
  });

  it('hashes the administrator secret from the environment; never keeps it', async () => {
    const config = parseBrokerConfig(
      raw({ adminSecretEnv: 'ADMIN', introspectionClients: ['rs'], statusListTtlSeconds: 30 }),
      { source: 'a.yaml', env },
    );
    expect(config.revocation.adminSecretHash).toMatch(/^scrypt:/);
    expect(await verifyClientSecret(config.revocation.adminSecretHash, SECRET)).toBe(true);
    expect(JSON.stringify(config)).not.toContain(SECRET);
  });

  it('names every bad revocation field at once', () => {
    const issues = issuesOf(
      raw(
        {
          adminSecret: SECRET,
          adminSecretEnv: 'MISSING',
          introspectionClients: ['nobody'],
          statusListTtlSeconds: 0,
          failOpenIssuers: ['ftp://x'],
        },
        'production',
      ),
    );
    const text = issues.join('\n');
    expect(text).toContain('revocation sets more than one of adminSecret, adminSecretEnv');
    expect(text).toContain('revocation.adminSecret is refused in production mode');
    expect(text).toContain('revocation.adminSecretEnv names MISSING');
    expect(text).toContain('revocation.introspectionClients[0] names "nobody"');
    expect(text).toContain('revocation.statusListTtlSeconds');
    expect(text).toContain('revocation.failOpenIssuers');
  });
});
