import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  parseTrustConfig,
  TrustConfigError,
  trustConfigProblems,
  trustStoreFromConfig,
} from '@baton/chain';

const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] };

const yaml = `
issuers:
  - issuer: https://a.example
    roles: [upstream]
    discover: true
  - issuer: https://b.example
    jwks:
      keys: [{ kty: EC, crv: P-256, x: x, y: y, kid: k1 }]
    algorithms: [ES256]
`;

describe('trust configuration', () => {
  it('accepts the same trust set written in YAML or JSON', async () => {
    const fromYaml = parseYaml(yaml) as unknown;
    const json = {
      issuers: [
        { issuer: 'https://a.example', roles: ['upstream'], discover: true },
        { issuer: 'https://b.example', jwks, algorithms: ['ES256'] },
      ],
    };
    expect(fromYaml).toEqual(json);
    expect(parseTrustConfig(fromYaml)).toEqual(json);
    const trust = trustStoreFromConfig(fromYaml);
    expect(trust.isTrusted('https://a.example', 'upstream')).toBe(true);
    expect(trust.isTrusted('https://a.example', 'present')).toBe(false);
    expect(trust.isTrusted('https://b.example', 'present')).toBe(true);
    // A static JWKS without a token endpoint: hop proofs name the Baton convention <issuer>/token.
    await expect(trust.getTokenEndpoint('https://b.example')).resolves.toBe(
      'https://b.example/token',
    );
  });

  it('names every problem at once, by path', () => {
    expect(
      trustConfigProblems({
        issuers: [
          { issuer: 'http://a.example', roles: ['upstream', 'boss'], discover: true, jwksUri: 'x' },
          { issuer: 'https://b.example/', roles: ['present'] },
          { issuer: 'https://c.example', discover: true, jwks: { keys: [{ kty: 'EC', d: 'x' }] } },
          { issuer: 'https://c.example', discover: true, algorithms: ['HS256'] },
          { issuer: 'https://d.example', discover: true, tokenEndpoint: 'https://u:p@d.example' },
        ],
        extra: true,
      }),
    ).toEqual([
      { path: 'extra', message: 'is not a known field' },
      { path: 'issuers[0].jwksUri', message: 'is not a known field' },
      {
        path: 'issuers[0].issuer',
        message: 'must be an https URL (http is accepted only on loopback hosts)',
      },
      { path: 'issuers[0].roles', message: 'must be among present, upstream, origin' },
      { path: 'issuers[1].issuer', message: 'must not end with a slash' },
      { path: 'issuers[1]', message: 'has no keys: set jwks or discover: true' },
      {
        path: 'issuers[2].jwks',
        message: 'keys[0] must be a public key (it has the private member "d")',
      },
      { path: 'issuers[2]', message: 'sets both jwks and discover: true; choose one' },
      {
        path: 'issuers[3].algorithms',
        message: 'must be among ES256, ES384, EdDSA, PS256',
      },
      { path: 'issuers[3].issuer', message: 'duplicates issuers[2].issuer' },
      { path: 'issuers[4].tokenEndpoint', message: 'must not contain credentials' },
    ]);
  });

  it('refuses a trust set in which no issuer may present a token', () => {
    const config = {
      issuers: [{ issuer: 'https://a.example', roles: ['upstream'], discover: true }],
    };
    expect(() => trustStoreFromConfig(config)).toThrow(TrustConfigError);
    expect(() => trustStoreFromConfig(config)).toThrow(
      'issuers must name at least one issuer with the role present',
    );
    expect(trustConfigProblems({ issuers: [] })).toEqual([
      { path: 'issuers', message: 'must be a non-empty list' },
    ]);
    expect(trustConfigProblems('issuers')).toEqual([
      { path: '', message: 'must be an object with an "issuers" list' },
    ]);
  });
});
