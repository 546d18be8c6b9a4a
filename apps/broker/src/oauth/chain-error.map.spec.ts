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
      description: 'subject_token comes from an issuer this domain does not trust',
    });
    expect(
      oauthErrorFromChain(new StatusError('ERR_EXPIRED', 'expired'), 'actor_token').description,
    ).toBe('actor_token has expired');
    expect(oauthErrorFromChain(new DpopProofError('ERR_DPOP_REPLAY', 'replayed'))).toMatchObject({
      error: 'invalid_dpop_proof',
    });
    const nonce = oauthErrorFromChain(new DpopProofError('ERR_DPOP_NONCE', 'nonce'), undefined, {
      'DPoP-Nonce': 'n',
    });
    expect(nonce).toMatchObject({ error: 'use_dpop_nonce', headers: { 'DPoP-Nonce': 'n' } });
  });

  it('never maps a chain error to a server error', () => {
    expect(Object.values(CHAIN_ERROR_TO_OAUTH).map((m) => m.error)).not.toContain('server_error');
  });
});
