import { describeFailedCheck, type ChainError, type ChainErrorCode } from '@baton/chain';
import { OAuthError, type OAuthErrorCode } from './oauth-error.js';

interface Mapping {
  readonly error: OAuthErrorCode;
  readonly description: string;
}

/**
 * The one table from libs/chain error codes to token-endpoint OAuth errors. A token presented
 * for exchange that fails verification is an invalid grant (RFC 6749 §5.2); a failing DPoP
 * proof is RFC 9449 §5 `invalid_dpop_proof`, a missing or stale nonce §8 `use_dpop_nonce`.
 * Descriptions name the rule and nothing internal.
 */
export const CHAIN_ERROR_TO_OAUTH: Readonly<Record<ChainErrorCode, Mapping>> = {
  ERR_MALFORMED: { error: 'invalid_grant', description: 'is malformed' },
  ERR_UNTRUSTED_ISSUER: {
    error: 'invalid_grant',
    description: 'comes from an issuer this domain does not trust',
  },
  ERR_SIGNATURE: { error: 'invalid_grant', description: 'has a signature that does not verify' },
  ERR_KEYS_UNAVAILABLE: {
    error: 'invalid_grant',
    description: 'names a key its issuer does not publish',
  },
  ERR_CONTINUITY: {
    error: 'invalid_grant',
    description: 'has hops whose audiences and issuers do not join up',
  },
  ERR_AUDIENCE: { error: 'invalid_grant', description: 'is not intended for this domain' },
  ERR_KEY_BINDING: {
    error: 'invalid_grant',
    description: 'is not bound to one agent key throughout',
  },
  ERR_HOP_PROOF: {
    error: 'invalid_grant',
    description: "has a hop without the agent's proof of possession",
  },
  ERR_ATTENUATION: {
    error: 'invalid_grant',
    description: 'widens scope, extends expiry or changes subject along its chain',
  },
  ERR_LINKAGE: { error: 'invalid_grant', description: 'has links that are not hash-chained' },
  ERR_ACT_MISMATCH: {
    error: 'invalid_grant',
    description: 'has an act claim that does not match its chain',
  },
  ERR_DEPTH: { error: 'invalid_grant', description: 'has a chain deeper than policy allows' },
  ERR_DOMAIN_REPEATED: {
    error: 'invalid_grant',
    description: 'has a chain that visits a domain twice',
  },
  ERR_DPOP_PROOF: { error: 'invalid_dpop_proof', description: 'the DPoP proof is invalid' },
  ERR_DPOP_REPLAY: { error: 'invalid_dpop_proof', description: 'the DPoP proof was already used' },
  ERR_DPOP_NONCE: {
    error: 'use_dpop_nonce',
    description: 'a DPoP proof with the current server nonce is required',
  },
  ERR_EXPIRED: { error: 'invalid_grant', description: 'has expired' },
  ERR_REVOKED: { error: 'invalid_grant', description: 'has been revoked' },
  ERR_INSUFFICIENT_SCOPE: {
    error: 'invalid_scope',
    description: 'does not grant the required scope',
  },
  ERR_NO_CREDENTIALS: { error: 'invalid_request', description: 'no credentials were presented' },
  ERR_INVALID_REQUEST: { error: 'invalid_request', description: 'the request is malformed' },
};

/**
 * Translates a libs/chain error into the OAuth error the token endpoint answers with.
 * `about` names the parameter whose token failed (`subject_token`, `actor_token`), so the
 * description says which one; DPoP errors describe the proof itself. The description ends with
 * the failed check (claim, link, issuer, role; never a token), e.g. `the DPoP proof is invalid:
 * htu does not match the request`.
 */
export function oauthErrorFromChain(
  error: ChainError,
  about?: 'subject_token' | 'actor_token',
  headers?: Record<string, string>,
): OAuthError {
  const mapping = CHAIN_ERROR_TO_OAUTH[error.code];
  const tokenError = mapping.error === 'invalid_grant' || mapping.error === 'invalid_scope';
  // invalid_request mappings come from resource-request checks; they describe the request itself.
  const rule = tokenError ? `${about ?? 'the token'} ${mapping.description}` : mapping.description;
  const check = describeFailedCheck(error);
  return new OAuthError(mapping.error, check === undefined ? rule : `${rule}: ${check}`, {
    headers,
    detail: `${error.code} (invariant ${error.invariant}) ${check ?? error.message}`,
    cause: error,
  });
}
