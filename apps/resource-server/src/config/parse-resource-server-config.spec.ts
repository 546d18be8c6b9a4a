import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import {
  loadResourceServerConfigFile,
  resolveConfigPath,
} from './load-resource-server-config-file.js';
import { parseResourceServerConfig } from './parse-resource-server-config.js';

const minimal = {
  audience: 'https://c.example',
  publicBaseUrl: 'https://api.c.example',
  listen: { port: 8080 },
  trustedIssuers: [{ issuer: 'https://c.example', roles: ['present'], discover: true }],
};

function issuesOf(raw: unknown): string[] {
  try {
    parseResourceServerConfig(raw, 'rs.yaml');
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.issues.map((i) => `${i.path} ${i.message}`.trim());
    }
    throw error;
  }
  return [];
}

describe('parseResourceServerConfig', () => {
  it('fills defaults and freezes the result', () => {
    const config = parseResourceServerConfig(minimal, 'rs.yaml');
    expect(config).toMatchObject({
      audience: ['https://c.example'],
      listen: { host: '127.0.0.1', port: 8080 },
      dpop: { maxAgeSeconds: 60, clockSkewSeconds: 30 },
      policy: { maxChainDepth: 5 },
      replayStore: { maxEntries: 100_000 },
    });
    expect(Object.isFrozen(config.trustedIssuers[0])).toBe(true);
  });

  it('reports every bad field at once, by path', () => {
    const issues = issuesOf({
      audience: 'http://c.example',
      publicBaseUrl: 'https://api.c.example/?q=1',
      listen: { port: 70_000 },
      trustedIssuers: [
        { issuer: 'https://a.example', roles: ['upstream', 'boss'], discover: true },
        { issuer: 'https://b.example', roles: ['upstream'] },
        { issuer: 'https://a.example', discover: true, jwks: { keys: [{ kty: 'EC' }] } },
      ],
      dpop: { algorithms: ['HS256'] },
      extra: 1,
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'extra is not a known field',
        'audience must be an https URL (http only on a loopback host)',
        'publicBaseUrl must not carry a query, fragment or credentials',
        'listen.port must be an integer from 0 to 65535',
        'trustedIssuers[0].roles may contain only present, upstream, origin',
        'trustedIssuers[1] needs exactly one of jwks and discover: true',
        'trustedIssuers[2] needs exactly one of jwks and discover: true',
        'trustedIssuers[2].issuer is listed twice',
        'dpop.algorithms may contain only ES256, ES384, EdDSA, Ed25519, PS256',
      ]),
    );
  });

  it('needs an issuer that may present tokens, and a port', () => {
    const issues = issuesOf({
      ...minimal,
      listen: undefined,
      trustedIssuers: [{ issuer: 'https://c.example', roles: ['upstream'], discover: true }],
    });
    expect(issues).toContain('trustedIssuers must name at least one issuer with the role present');
    expect(issues).toContain('listen.port is required');
  });

  it('loads the demo file shipped in config/', () => {
    const path = fileURLToPath(new URL('../../../../config/resource-server.yaml', import.meta.url));
    const config = loadResourceServerConfigFile(path);
    expect(config.audience).toEqual(['http://127.0.0.1:4003']);
    expect(config.trustedIssuers.map((i) => [i.issuer, i.roles])).toEqual([
      ['http://127.0.0.1:4001', ['upstream']],
      ['http://127.0.0.1:4002', ['present', 'upstream']],
      ['http://127.0.0.1:4003', ['present', 'upstream']],
    ]);
  });

  it('names an unreadable file and a missing --config', () => {
    expect(() => loadResourceServerConfigFile('/nonexistent/rs.yaml')).toThrow(
      /rs.yaml: cannot be read/,
    );
    expect(() => resolveConfigPath([], {})).toThrow(/--config/);
    expect(resolveConfigPath(['--config', 'x.yaml'], {})).toBe('x.yaml');
    expect(resolveConfigPath(['--config=y.yaml'], {})).toBe('y.yaml');
  });
});
