import { describeFailedCheck } from './lib/describe-failed-check.js';
import type { ChainError, ChainErrorCode } from './lib/errors.js';
import { DPOP_ALGORITHMS } from './protocol/index.js';

/** The RFC 6750 §3.1 / RFC 9449 §7.1 error codes a resource server answers with. */
export type ResourceErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

export interface ChallengeOptions {
  /** DPoP proof algorithms the resource accepts (the `algs` parameter); default all of DPOP_ALGORITHMS. */
  algorithms?: readonly string[];
  /** Protection space (RFC 9110 §11.5). */
  realm?: string;
}

/** How a resource answers one refusal: status, OAuth error code and a fixed description. */
export interface ResourceError {
  status: 400 | 401 | 403;
  /** Undefined when the request carried no credentials (RFC 6750 §3.1: no error information). */
  error: ResourceErrorCode | undefined;
  /**
   * A fixed, public text per error code, followed by the failed check (describeFailedCheck:
   * claim, link, issuer, role — never a token).
   */
  description: string | undefined;
}

/** The status, RFC 6750 §3.1 / RFC 9449 §7.1 error code and public description for a refusal. */
export function resourceErrorFor(error: ChainError): ResourceError {
  const { status, error: code } = describe(error.code);
  return { status, error: code, description: code === undefined ? undefined : textOf(error) };
}

function textOf(error: ChainError): string {
  const check = describeFailedCheck(error);
  const { text } = describe(error.code);
  return check === undefined ? text : `${text}: ${check}`;
}

/**
 * HTTP status for a refusal: 400 for a malformed request (RFC 6750 §3.1 invalid_request),
 * 403 for insufficient scope, 401 for everything else (RFC 6750 §3.1, RFC 9449 §7.1, §9).
 */
export function httpStatusFor(error: ChainError): 400 | 401 | 403 {
  return describe(error.code).status;
}

/**
 * The `WWW-Authenticate` value for a refusal at a DPoP-protected resource (RFC 9449 §7.1,
 * RFC 6750 §3): `DPoP algs="ES256 ..."` with no error when `error` is undefined or the request
 * had no credentials; otherwise `DPoP error="...", error_description="...", algs="..."`, plus
 * `scope="..."` for insufficient_scope (taken from `error.detail.expected`).
 *
 * The description is a fixed text per error code followed by the failed check
 * (describeFailedCheck: claim, link, issuer, role — never a token), and every parameter value
 * is reduced to the characters RFC 6750 §3 allows inside its quotes, so a value can never close
 * the quoted string or start a new header line.
 *
 * Does not set `DPoP-Nonce`: for `use_dpop_nonce` the caller issues a nonce and sends it
 * alongside (RFC 9449 §9).
 *
 * @example
 * res.writeHead(httpStatusFor(err), { 'WWW-Authenticate': wwwAuthenticate(err, { algorithms: ['ES256'] }) });
 */
export function wwwAuthenticate(
  error: ChainError | undefined,
  options: ChallengeOptions = {},
): string {
  const params: string[] = [];
  if (options.realm !== undefined) {
    params.push(`realm=${quote(options.realm)}`);
  }
  const description = error === undefined ? undefined : describe(error.code);
  if (description?.error !== undefined && error !== undefined) {
    params.push(`error=${quote(description.error)}`);
    params.push(`error_description=${quote(textOf(error))}`);
    if (description.error === 'insufficient_scope') {
      const scope = requiredScope(error);
      if (scope !== undefined) {
        params.push(`scope=${quote(scope)}`);
      }
    }
  }
  const algs = (options.algorithms ?? DPOP_ALGORITHMS)
    .map(sanitizeToken)
    .filter((a) => a.length > 0);
  params.push(`algs=${quote(algs.join(' '))}`);
  return `DPoP ${params.join(', ')}`;
}

interface Description {
  status: 400 | 401 | 403;
  error: ResourceErrorCode | undefined;
  text: string;
}

function describe(code: ChainErrorCode): Description {
  switch (code) {
    case 'ERR_NO_CREDENTIALS':
      return { status: 401, error: undefined, text: '' };
    // RFC 6750 §3.1: more than one method of presenting a token, or otherwise malformed;
    // RFC 9449 §7.2: a DPoP-bound token presented with the Bearer scheme is refused.
    case 'ERR_INVALID_REQUEST':
      return {
        status: 400,
        error: 'invalid_request',
        text: 'The request presents its credentials in a form that is not allowed',
      };
    // RFC 6750 §3.1: insufficient_scope, 403.
    case 'ERR_INSUFFICIENT_SCOPE':
      return {
        status: 403,
        error: 'insufficient_scope',
        text: 'The token does not grant the scope this resource requires',
      };
    // RFC 9449 §7.1: the DPoP proof is invalid.
    case 'ERR_DPOP_PROOF':
      return { status: 401, error: 'invalid_dpop_proof', text: 'The DPoP proof is invalid' };
    case 'ERR_DPOP_REPLAY':
      return { status: 401, error: 'invalid_dpop_proof', text: 'The DPoP proof was already used' };
    // RFC 9449 §9: the resource requires a (fresh) nonce in the proof.
    case 'ERR_DPOP_NONCE':
      return {
        status: 401,
        error: 'use_dpop_nonce',
        text: 'The resource requires a nonce in the DPoP proof',
      };
    // RFC 9449 §7.1, Figure 20: a key-binding mismatch is reported as invalid_token.
    case 'ERR_KEY_BINDING':
      return { status: 401, error: 'invalid_token', text: 'Invalid DPoP key binding' };
    case 'ERR_EXPIRED':
      return {
        status: 401,
        error: 'invalid_token',
        text: 'The token or a link of its chain has expired',
      };
    case 'ERR_REVOKED':
      return {
        status: 401,
        error: 'invalid_token',
        text: 'The token or a link of its chain has been revoked',
      };
    case 'ERR_AUDIENCE':
      return {
        status: 401,
        error: 'invalid_token',
        text: 'The token is not intended for this resource',
      };
    case 'ERR_UNTRUSTED_ISSUER':
      return {
        status: 401,
        error: 'invalid_token',
        text: 'The token or its chain names an issuer this resource does not trust',
      };
    case 'ERR_KEYS_UNAVAILABLE':
      return {
        status: 401,
        error: 'invalid_token',
        text: 'The signing keys of an issuer in the chain are unavailable',
      };
    case 'ERR_MALFORMED':
    case 'ERR_SIGNATURE':
    case 'ERR_CONTINUITY':
    case 'ERR_HOP_PROOF':
    case 'ERR_ATTENUATION':
    case 'ERR_LINKAGE':
    case 'ERR_ACT_MISMATCH':
    case 'ERR_DEPTH':
    case 'ERR_DOMAIN_REPEATED':
      return { status: 401, error: 'invalid_token', text: 'The delegation chain is invalid' };
  }
}

function requiredScope(error: ChainError): string | undefined {
  const expected = error.detail.expected;
  const values = Array.isArray(expected)
    ? expected
    : typeof expected === 'string'
      ? expected.split(' ')
      : [];
  const scopes = values
    .filter((v): v is string => typeof v === 'string')
    .map(sanitizeScopeToken)
    .filter((v) => v.length > 0);
  return scopes.length > 0 ? scopes.join(' ') : undefined;
}

/** RFC 6750 §3: quoted values use %x20-21 / %x23-5B / %x5D-7E — no `"`, no `\`, no controls. */
function quote(value: string): string {
  return `"${value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '')}"`;
}

/** RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E. */
function sanitizeScopeToken(value: string): string {
  return value.replace(/[^\x21\x23-\x5B\x5D-\x7E]/g, '');
}

/** JWS `alg` names are RFC 9110 tokens; anything else is dropped. */
function sanitizeToken(value: string): string {
  return value.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, '');
}
