import { decodeJwt } from 'jose';
import { ChainError } from '@baton/chain';
import { readClientAuthentication } from '../clients/client-auth-request.js';
import { oauthErrorFromChain } from '../oauth/chain-error.map.js';
import type { HttpRequest } from '../oauth/http-types.js';
import { OAuthError } from '../oauth/oauth-error.js';
import { parseTokenForm } from '../token/token-form.js';

/** What one token request ended in, as logged and counted; never a token or a secret. */
export type TokenOutcome =
  | { readonly outcome: 'issued'; readonly jti?: string; readonly client?: string }
  | {
      readonly outcome: 'refused' | 'failed';
      readonly status: number;
      readonly error: string;
      readonly description: string;
      /** The failed check: a libs/chain code (ERR_SIGNATURE…), else the private detail. */
      readonly check: string;
    };

const MAX_LOGGED_LENGTH = 128;

/** The outcome of a token request that threw `error` (a refusal, or a server fault). */
export function refusalOutcome(error: unknown): TokenOutcome {
  const oauth =
    error instanceof ChainError
      ? oauthErrorFromChain(error)
      : error instanceof OAuthError
        ? error
        : undefined;
  if (oauth === undefined || oauth.status >= 500) {
    return {
      outcome: 'failed',
      status: oauth?.status ?? 500,
      error: oauth?.error ?? 'server_error',
      description: oauth?.description ?? 'internal error',
      check: error instanceof Error ? error.name : 'unknown',
    };
  }
  const cause = oauth.cause;
  return {
    outcome: 'refused',
    status: oauth.status,
    error: oauth.error,
    description: oauth.description,
    check: cause instanceof ChainError ? cause.code : (oauth.detail ?? oauth.error),
  };
}

/** What the log line says about an issued token, by the response body that carries it. */
const issuedFacts = new WeakMap<object, { jti: string; client: string }>();

/**
 * Notes the `jti` and `client_id` of the token `body` carries, as the token endpoint issued
 * them, so the outcome is logged without decoding the token again.
 */
export function noteIssued(body: object, jti: string, client: string): void {
  issuedFacts.set(body, { jti, client });
}

/** The outcome of an issued token: the facts noted with its response body. */
export function issuedOutcome(body: unknown): TokenOutcome {
  const facts = typeof body === 'object' && body !== null ? issuedFacts.get(body) : undefined;
  return { outcome: 'issued', ...facts };
}

/** `grant_type` as sent (bounded), for the log line; undefined when the form is unreadable. */
export function requestedGrant(request: HttpRequest): string | undefined {
  try {
    return bounded(parseTokenForm(request).get('grant_type'));
  } catch {
    return undefined;
  }
}

/**
 * The client the request claims to be (not authenticated): Basic user name, form `client_id`,
 * or the unverified `iss` of a client assertion. Only the identifier is read, never the secret.
 */
export function claimedClient(request: HttpRequest): string | undefined {
  try {
    const authorization = request.headers.authorization;
    const auth = readClientAuthentication(
      Array.isArray(authorization) ? authorization.join(',') : authorization,
      parseTokenForm(request),
    );
    if (auth.clientId !== undefined || auth.method !== 'private_key_jwt') {
      return bounded(auth.clientId);
    }
    const { iss } = decodeJwt(auth.assertion);
    return typeof iss === 'string' ? bounded(iss) : undefined;
  } catch {
    return undefined;
  }
}

/** One-time values whose reuse a refusal reports, for the replay counter. */
export function replayed(outcome: TokenOutcome): 'dpop_proof' | 'client_assertion' | undefined {
  if (outcome.outcome !== 'refused') {
    return undefined;
  }
  if (outcome.check === 'ERR_DPOP_REPLAY') {
    return 'dpop_proof';
  }
  return outcome.error === 'invalid_client' && outcome.description.includes('already used')
    ? 'client_assertion'
    : undefined;
}

function bounded(value: string | undefined): string | undefined {
  return value === undefined || value.length <= MAX_LOGGED_LENGTH
    ? value
    : `${value.slice(0, MAX_LOGGED_LENGTH)}…`;
}
