import type { ChainError } from '@baton/chain';
import { OAuthError } from '../oauth/oauth-error.js';

/**
 * libs/chain refuses to build a chain verifiers would refuse: too large a token (they refuse it
 * unparsed, docs/chain-spec.md §5 step 0) or too deep or looping a chain (invariant 8).
 */
export function issuanceRefusal(error: ChainError): OAuthError {
  const description =
    error.code === 'ERR_MALFORMED'
      ? 'the chain cannot be extended: the token would exceed the size verifiers accept'
      : error.code === 'ERR_DEPTH'
        ? 'the chain would exceed the maximum depth'
        : 'a domain may not appear twice in a chain';
  return new OAuthError('invalid_grant', description, {
    detail: `${error.code} at issuance (${JSON.stringify(error.detail)})`,
    cause: error,
  });
}
