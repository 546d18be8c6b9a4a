import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOKEN_BYTES } from '@baton/chain/protocol';
import { OAuthError } from '../oauth/oauth-error.js';
import { checkIssuableSize } from './issuable-size.js';

describe('checkIssuableSize', () => {
  it('lets a token of exactly the verifier limit through', () => {
    expect(() => checkIssuableSize('x'.repeat(DEFAULT_MAX_TOKEN_BYTES))).not.toThrow();
  });

  it('refuses to issue a token one byte over the limit verifiers enforce', () => {
    const refuse = () => checkIssuableSize('x'.repeat(DEFAULT_MAX_TOKEN_BYTES + 1));
    expect(refuse).toThrow(OAuthError);
    expect(refuse).toThrow(expect.objectContaining({ error: 'invalid_grant' }));
  });
});
