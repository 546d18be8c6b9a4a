/**
 * RFC 6749 §5.2, RFC 6750 §3.1, RFC 8693 §2.2.2, RFC 8707 §2, RFC 9449 §5 and §8 error codes this
 * broker sends; `temporarily_unavailable` (RFC 6749 §4.1.2.1) with 503 or 429 and `Retry-After`
 * (RFC 9110 §10.2.3) when the database cannot answer or a rate limit is reached.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'invalid_token'
  | 'server_error'
  | 'temporarily_unavailable';

const DEFAULT_STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
  // RFC 6750 §3.1 (the auditor API's bearer credential)
  invalid_token: 401,
  server_error: 500,
  temporarily_unavailable: 503,
};

export interface OAuthErrorOptions {
  /** HTTP status; defaults to the one RFC 6749 §5.2 / RFC 9449 give the code. */
  status?: number;
  /** Response headers this error needs (`WWW-Authenticate`, `DPoP-Nonce`). */
  headers?: Record<string, string>;
  /** Internal detail for the log only; never sent, never a token. */
  detail?: string;
  cause?: unknown;
}

/**
 * An OAuth error answer: the RFC code and a public description (sent), plus a private detail
 * (logged). Services throw it; the global OAuthErrorFilter writes the RFC 6749 §5.2 JSON.
 */
export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly description: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly detail: string | undefined;

  constructor(error: OAuthErrorCode, description: string, options: OAuthErrorOptions = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OAuthError';
    this.error = error;
    this.description = description;
    this.status = options.status ?? DEFAULT_STATUS[error];
    this.headers = options.headers ?? {};
    this.detail = options.detail;
  }
}

export function invalidRequest(description: string, detail?: string): OAuthError {
  return new OAuthError('invalid_request', description, { detail });
}
