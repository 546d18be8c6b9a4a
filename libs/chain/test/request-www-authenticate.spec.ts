import { describe, expect, it } from 'vitest';
import {
  ChainError,
  DpopProofError,
  InsufficientScopeError,
  KeyBindingError,
  MalformedChainError,
  RequestError,
  SignatureError,
  StatusError,
  ContinuityError,
  httpStatusFor,
  resourceErrorFor,
  wwwAuthenticate,
} from '@baton/chain';

const algorithms = ['ES256', 'EdDSA'];

describe('wwwAuthenticate', () => {
  it('answers a request without credentials with a bare DPoP challenge listing algs (RFC 6750 §3.1)', () => {
    expect(wwwAuthenticate(undefined, { algorithms })).toBe('DPoP algs="ES256 EdDSA"');
    const none = new RequestError('ERR_NO_CREDENTIALS', 'no credentials');
    expect(wwwAuthenticate(none, { algorithms })).toBe('DPoP algs="ES256 EdDSA"');
    expect(httpStatusFor(none)).toBe(401);
    expect(resourceErrorFor(none)).toEqual({
      status: 401,
      error: undefined,
      description: undefined,
    });
  });

  it('puts realm first when configured', () => {
    expect(wwwAuthenticate(undefined, { algorithms, realm: 'partner-api' })).toBe(
      'DPoP realm="partner-api", algs="ES256 EdDSA"',
    );
  });

  it.each([
    [new MalformedChainError('bad'), 'invalid_token', 401],
    [new SignatureError('ERR_SIGNATURE', 'bad'), 'invalid_token', 401],
    [new ContinuityError('ERR_AUDIENCE', 'bad'), 'invalid_token', 401],
    [new KeyBindingError('bad'), 'invalid_token', 401],
    [new StatusError('ERR_EXPIRED', 'bad'), 'invalid_token', 401],
    [new DpopProofError('ERR_DPOP_PROOF', 'bad'), 'invalid_dpop_proof', 401],
    [new DpopProofError('ERR_DPOP_REPLAY', 'bad'), 'invalid_dpop_proof', 401],
    [new DpopProofError('ERR_DPOP_NONCE', 'bad'), 'use_dpop_nonce', 401],
    [new RequestError('ERR_INVALID_REQUEST', 'bad'), 'invalid_request', 400],
    [new InsufficientScopeError('bad', { expected: ['orders:read'] }), 'insufficient_scope', 403],
  ] as [ChainError, string, number][])('maps %s to %s / %i', (error, code, status) => {
    const header = wwwAuthenticate(error, { algorithms });
    expect(header).toMatch(new RegExp(`^DPoP error="${code}", error_description="[^"]+", `));
    expect(header.endsWith('algs="ES256 EdDSA"')).toBe(true);
    expect(httpStatusFor(error)).toBe(status);
    expect(resourceErrorFor(error)).toMatchObject({ status, error: code });
    expect(resourceErrorFor(error).description).toMatch(/^[ -~]+$/);
  });

  it('names the required scope on insufficient_scope', () => {
    const error = new InsufficientScopeError('insufficient', {
      expected: ['orders:read', 'orders:write'],
    });
    expect(wwwAuthenticate(error, { algorithms: ['ES256'] })).toBe(
      'DPoP error="insufficient_scope", error_description="The token does not grant the scope this resource requires", scope="orders:read orders:write", algs="ES256"',
    );
  });

  it('names the failed check: message, link, issuer, claim and the role an untrusted issuer lacks', () => {
    const error = new SignatureError('ERR_UNTRUSTED_ISSUER', 'issuer not trusted', {
      link: 2,
      issuer: 'https://c.example',
      claim: 'iss',
      expected: 'present',
    });
    const text =
      'The token or its chain names an issuer this resource does not trust: issuer not trusted (link 2, issuer https://c.example, claim iss, role present)';
    expect(resourceErrorFor(error).description).toBe(text);
    expect(wwwAuthenticate(error)).toContain(`error_description="${text}"`);
  });

  it('never reflects the error message into the header', () => {
    const error = new MalformedChainError('eyJhbGciOiJFUzI1NiJ9.secret-token');
    expect(wwwAuthenticate(error)).not.toContain('secret-token');
  });

  it('cannot be used for header injection through realm, scope or algs', () => {
    const error = new InsufficientScopeError('x', {
      expected: ['a"b', 'c\r\nSet-Cookie: x=1', 'd\\e'],
    });
    const header = wwwAuthenticate(error, {
      realm: 'r"\r\nX-Evil: 1',
      algorithms: ['ES256", evil="1', 'ES\n384'],
    });
    expect(header).not.toMatch(/[\r\n]/);
    // Every parameter value is one quoted string without inner quotes or backslashes.
    const params = header.slice('DPoP '.length).split(', ');
    for (const p of params) {
      expect(p).toMatch(/^[a-z_]+="[^"\\]*"$/);
    }
    expect(header).toContain('realm="rX-Evil: 1"');
    expect(header).toContain('scope="ab cSet-Cookie:x=1 de"');
    expect(header).toContain('algs="ES256evil1 ES384"');
  });

  it('defaults algs to every algorithm DPoP proofs may use', () => {
    expect(wwwAuthenticate(undefined)).toBe('DPoP algs="ES256 ES384 EdDSA Ed25519 PS256"');
  });
});
