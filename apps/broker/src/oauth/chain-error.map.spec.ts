import { describe, expect, it } from 'vitest';
import { DpopProofError, SignatureError, StatusError } from '@baton/chain';
import { CHAIN_ERROR_TO_OAUTH, oauthErrorFromChain } from './chain-error.map.js';

describe('libs/chain → OAuth error table', () => {
  it('maps token failures to invalid_grant naming the parameter, DPoP failures to RFC 9449 codes', () => {
    const untrusted = oauthErrorFromChain(
      new SignatureError('ERR_UNTRUSTED_ISSUER', 'untrusted', { issuer: 'https://x.example' }),
      'subject_token',
    );
    expect(untrusted).toMatchObject({
      error: 'invalid_grant',
      status: 400,
      description:
        'subject_token comes from an issuer this domain does not trust: untrusted (issuer https://x.example)',
    });
    expect(
      oauthErrorFromChain(new StatusError('ERR_EXPIRED', 'expired', { link: 1 }), 'actor_token')
        .description,
    ).toBe('actor_token has expired: expired (link 1)');
    expect(oauthErrorFromChain(new DpopProofError('ERR_DPOP_REPLAY', 'replayed'))).toMatchObject({
      error: 'invalid_dpop_proof',
      description: 'the DPoP proof was already used',
    });
    const nonce = oauthErrorFromChain(new DpopProofError('ERR_DPOP_NONCE', 'nonce'), undefined, {
      'DPoP-Nonce': 'n',
    });
    expect(nonce).toMatchObject({ error: 'use_dpop_nonce', headers: { 'DPoP-Nonce': 'n' } });
  });

  it('names the failed check of a DPoP proof, and the role an untrusted issuer lacks', () => {
    const htu = new DpopProofError('ERR_DPOP_PROOF', 'DPoP proof htu does not match the request', {
      claim: 'htu',
    });
    expect(oauthErrorFromChain(htu)).toMatchObject({
      error: 'invalid_dpop_proof',
      description: 'the DPoP proof is invalid: htu does not match the request',
    });
    const role = new SignatureError('ERR_UNTRUSTED_ISSUER', 'issuer not trusted', {
      link: 0,
      issuer: 'https://a.example"\r\nX: y',
      claim: 'iss',
      expected: 'upstream',
    });
    const refused = oauthErrorFromChain(role, 'subject_token');
    expect(refused.description).toBe(
      'subject_token comes from an issuer this domain does not trust: issuer not trusted (link 0, issuer https://a.exampleX:y, claim iss, role upstream)',
    );
    expect(refused.detail).toContain('role upstream');
  });

  it('never maps a chain error to a server error', () => {
    expect(Object.values(CHAIN_ERROR_TO_OAUTH).map((m) => m.error)).not.toContain('server_error');
  });
});
