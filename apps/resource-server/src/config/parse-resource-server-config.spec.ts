import { fileURLToPath } from 'node:url';
import { ConfigError, resolveConfigPath } from '@baton/config';
import { describe, expect, it } from 'vitest';
import {
  loadResourceServerConfigFile,
  RESOURCE_SERVER_CONFIG_PATH,
} from './load-resource-server-config-file.js';
import { parseResourceServerConfig } from './parse-resource-server-config.js';

const minimal = {
  audience: 'https://c.example',
  publicBaseUrl: 'https://api.c.example',
  listen: { port: 8080 },
  trust: { issuers: [{ issuer: 'https://c.example', roles: ['present'], discover: true }] },
};

/** The lines of the ConfigError `raw` is refused with. */
function issuesOf(raw: unknown): string[] {
  try {
    parseResourceServerConfig(raw, 'rs.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
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
    expect(config.trust.issuers[0]).toEqual({
      issuer: 'https://c.example',
      roles: ['present'],
      discover: true,
    });
    expect(Object.isFrozen(config.trust.issuers[0])).toBe(true);
  });

  it('takes statusFailOpen per trusted issuer, and only true or false', () => {
    const trust = (statusFailOpen: unknown) => ({
      ...minimal,
      trust: { issuers: [{ issuer: 'https://c.example', discover: true, statusFailOpen }] },
    });
    expect(parseResourceServerConfig(trust(true), 'rs.yaml').trust.issuers[0]).toMatchObject({
      statusFailOpen: true,
    });
    expect(() => parseResourceServerConfig(trust('yes'), 'rs.yaml')).toThrow(
      /trust\.issuers\[0\]\.statusFailOpen must be true or false/,
    );
  });

  it('reports every bad field at once, by path', () => {
    expect(
      issuesOf({
        audience: 'http://c.example',
        publicBaseUrl: 'https://api.c.example/?q=1',
        listen: { port: 70_000 },
        trust: {
          issuers: [
            { issuer: 'https://a.example', roles: ['upstream', 'boss'], discover: true },
            { issuer: 'https://b.example', roles: ['upstream'] },
            { issuer: 'https://a.example', discover: true, jwks: { keys: [{ kty: 'EC' }] } },
          ],
        },
        dpop: { algorithms: ['HS256'] },
        extra: 1,
      }),
    ).toEqual([
      'rs.yaml: extra is not a known field',
      'rs.yaml: audience must be an https URL (http is accepted only on loopback hosts)',
      'rs.yaml: publicBaseUrl must not contain a query',
      'rs.yaml: listen.port must not be greater than 65535',
      'rs.yaml: dpop.algorithms must be among ES256, ES384, EdDSA, Ed25519, PS256',
      'rs.yaml: trust.issuers[0].roles must be among present, upstream, origin',
      'rs.yaml: trust.issuers[1] has no keys: set jwks or discover: true',
      'rs.yaml: trust.issuers[2] sets both jwks and discover: true; choose one',
      'rs.yaml: trust.issuers[2].issuer duplicates issuers[0].issuer',
    ]);
  });

  it('names an unknown field, at the top and inside an issuer', () => {
    expect(
      issuesOf({
        ...minimal,
        audiences: ['https://c.example'],
        trust: { issuers: [{ ...minimal.trust.issuers[0], jwksUri: 'https://c.example/jwks' }] },
      }),
    ).toEqual([
      'rs.yaml: audiences is not a known field',
      'rs.yaml: trust.issuers[0].jwksUri is not a known field',
    ]);
  });

  it('refuses a URL that is not https off loopback, or carries a query, or ends an issuer with /', () => {
    expect(
      issuesOf({
        ...minimal,
        audience: ['https://c.example', 'http://c.example'],
        publicBaseUrl: 'https://user:pw@api.c.example',
        trust: { issuers: [{ issuer: 'https://c.example/', discover: true }] },
      }),
    ).toEqual([
      'rs.yaml: audience must be an https URL',
      'rs.yaml: publicBaseUrl must not contain credentials',
      'rs.yaml: trust.issuers[0].issuer must not end with a slash',
    ]);
    expect(
      parseResourceServerConfig({ ...minimal, audience: 'http://[::1]:4003' }, 'rs.yaml'),
    ).toHaveProperty('audience', ['http://[::1]:4003']);
  });

  it('refuses an unknown role and needs an issuer that may present tokens', () => {
    expect(
      issuesOf({
        ...minimal,
        trust: { issuers: [{ issuer: 'https://c.example', roles: ['admin'], discover: true }] },
      }),
    ).toEqual([
      'rs.yaml: trust.issuers[0].roles must be among present, upstream, origin',
      'rs.yaml: trust.issuers must name at least one issuer with the role present',
    ]);
    expect(
      issuesOf({
        ...minimal,
        trust: { issuers: [{ issuer: 'https://c.example', roles: ['upstream'], discover: true }] },
      }),
    ).toEqual(['rs.yaml: trust.issuers must name at least one issuer with the role present']);
  });

  it('refuses an integer out of range or not an integer', () => {
    expect(
      issuesOf({
        ...minimal,
        dpop: { maxAgeSeconds: 0, clockSkewSeconds: 301 },
        policy: { maxChainDepth: 2.5 },
        replayStore: { maxEntries: 10_000_001 },
      }),
    ).toEqual([
      'rs.yaml: dpop.maxAgeSeconds must not be less than 1',
      'rs.yaml: dpop.clockSkewSeconds must not be greater than 300',
      'rs.yaml: policy.maxChainDepth must be an integer number',
      'rs.yaml: replayStore.maxEntries must not be greater than 10000000',
    ]);
  });

  it('names every missing required field', () => {
    expect(issuesOf({})).toEqual([
      'rs.yaml: audience is required',
      'rs.yaml: publicBaseUrl is required',
      'rs.yaml: listen is required',
      'rs.yaml: trust is required',
    ]);
    expect(issuesOf({ ...minimal, listen: {} })).toEqual([
      'rs.yaml: listen.port must be an integer number',
    ]);
  });

  it('refuses a private key in a trusted issuer’s JWKS', () => {
    expect(
      issuesOf({
        ...minimal,
        trust: {
          issuers: [
            { issuer: 'https://c.example', jwks: { keys: [{ kty: 'EC', crv: 'P-256', d: 'x' }] } },
          ],
        },
      }),
    ).toEqual([
      'rs.yaml: trust.issuers[0].jwks keys[0] must be a public key (it has the private member "d")',
    ]);
  });

  it('loads the demo file shipped in config/', () => {
    const path = fileURLToPath(new URL('../../../../config/resource-server.yaml', import.meta.url));
    const config = loadResourceServerConfigFile(path);
    expect(config.audience).toEqual(['http://127.0.0.1:4003']);
    expect(config.trust.issuers.map((i) => [i.issuer, i.roles])).toEqual([
      ['http://127.0.0.1:4001', ['upstream']],
      ['http://127.0.0.1:4002', ['present', 'upstream']],
      ['http://127.0.0.1:4003', ['present', 'upstream']],
    ]);
  });

  it('names an unreadable file and a missing --config', () => {
    expect(() => loadResourceServerConfigFile('/nonexistent/rs.yaml')).toThrow(
      '/nonexistent/rs.yaml: cannot be read (ENOENT)',
    );
    const resolve = (argv: string[], env: Record<string, string> = {}): string =>
      resolveConfigPath(argv, env, RESOURCE_SERVER_CONFIG_PATH);
    expect(() => resolve([])).toThrow(
      'baton resource server: needs a configuration file: pass --config <file> or set BATON_RESOURCE_SERVER_CONFIG',
    );
    expect(resolve(['--config', 'x.yaml'])).toBe('x.yaml');
    expect(resolve(['--config=y.yaml'])).toBe('y.yaml');
    expect(resolve([], { BATON_RESOURCE_SERVER_CONFIG: 'z.yaml' })).toBe('z.yaml');
  });
});
