import { DEFAULT_MAX_TOKEN_BYTES } from '@baton/chain/protocol';
import { OAuthError } from '../oauth/oauth-error.js';

/**
 * A token no verifier would accept is not issued: verifiers refuse anything over
 * DEFAULT_MAX_TOKEN_BYTES before parsing it (docs/chain-spec.md, size per hop).
 */
export function checkIssuableSize(token: string, maxBytes = DEFAULT_MAX_TOKEN_BYTES): void {
  const bytes = Buffer.byteLength(token, 'ascii');
  if (bytes > maxBytes) {
    throw new OAuthError(
      'invalid_grant',
      'the chain cannot be extended: the token would exceed the size verifiers accept',
      { detail: `token of ${bytes} bytes over the ${maxBytes}-byte limit` },
    );
  }
}
