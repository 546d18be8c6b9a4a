import { checkRequiredScopes } from './lib/check-scopes.js';
import { DpopProofError, RequestError } from './lib/errors.js';
import type { ReplayStore } from './lib/replay-store.js';
import { verifyChain, type VerifyChainOptions } from './verify-chain.js';
import type { VerifiedChainedToken } from './protocol/index.js';
import {
  decodeDpopProof,
  verifyDecodedDpopProof,
  type VerifiedDpopProof,
} from './lib/dpop-proof.js';
import { normalizeHtu } from './lib/htu.js';

/** The parts of an HTTP request a resource server hands to {@link verifyRequest}. */
export interface PresentedRequest {
  /** The request method as received (`GET`); compared exactly with the proof's `htm`. */
  method: string;
  /**
   * The absolute URL of the request **as the client addressed it** (`https://api.c.example/api/orders?x=1`).
   * Behind a proxy or load balancer this is the public URL, not the internal one: build it from
   * a configured public base URL plus the request path. Query and fragment are ignored.
   */
  url: string;
  /**
   * Request headers, names in any case. Pass Node's `req.headersDistinct`, not `req.headers`:
   * Node keeps only the first of several `Authorization` headers in `req.headers`, which would
   * hide a request that presents two.
   */
  headers: Record<string, string | string[] | undefined>;
}

export interface VerifyRequestOptions extends Omit<VerifyChainOptions, 'allowUnchained'> {
  /** Where accepted proof `jti`s are remembered (RFC 9449 §11.1). */
  replayStore: ReplayStore;
  /** Algorithms accepted for the request's DPoP proof; default all of DPOP_ALGORITHMS. */
  dpopAlgorithms?: readonly string[];
  /** Oldest acceptable proof `iat`, seconds before now; default 60. */
  dpopMaxAge?: number;
  /** Server nonce check (RFC 9449 §9); on `false` the request fails with `ERR_DPOP_NONCE`. */
  nonce?: (nonce: string | undefined) => boolean | Promise<boolean>;
}

/** A request whose chain and DPoP proof both verified. */
export interface VerifiedRequest extends VerifiedChainedToken {
  proof: VerifiedDpopProof;
}

const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const AUTH_SCHEME = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:[ ]+(.*))?$/;

/**
 * Verifies a request to a DPoP-protected resource carrying a Baton delegation chain:
 * `Authorization: DPoP <token>` (exactly one, RFC 9449 §7.1), exactly one `DPoP` proof header
 * (RFC 9449 §4.3 step 1), the whole chain through {@link verifyChain} (invariants 1–8 and 10),
 * then the request's proof through {@link verifyDpopProof} (invariant 9): `htm` = method, `htu` =
 * `req.url`, `ath` = hash of the presented token, its key = the token's `cnf.jkt`, the `iat`
 * window, single use through `replayStore`, and the server nonce when `nonce` is given.
 * `requiredScopes` is checked last, so a caller without the agent's key learns nothing about
 * the token's scope.
 *
 * Works with any HTTP stack; answer a refusal with {@link httpStatusFor} and
 * {@link wwwAuthenticate} (and a fresh `DPoP-Nonce` for `ERR_DPOP_NONCE`).
 *
 * Does not check: that `req.url` is the URL the client used (the caller builds it, from its
 * public base URL when behind a proxy); TLS; a `Bearer` token alongside (it is refused, never
 * accepted); query-string or form-body tokens (never read).
 *
 * @example
 * const verified = await verifyRequest(
 *   { method: req.method, url: `https://api.c.example${req.url}`, headers: req.headersDistinct },
 *   { trust, audience: 'https://c.example', replayStore, requiredScopes: ['orders:read'] },
 * );
 * @throws RequestError `ERR_NO_CREDENTIALS` (no DPoP credentials), `ERR_INVALID_REQUEST`
 *   (two Authorization headers, Bearer scheme, malformed header); DpopProofError; any error of
 *   verifyChain; InsufficientScopeError `ERR_INSUFFICIENT_SCOPE`.
 */
export async function verifyRequest(
  req: PresentedRequest,
  options: VerifyRequestOptions,
): Promise<VerifiedRequest> {
  if (normalizeHtu(req.url) === undefined) {
    throw new TypeError('PresentedRequest.url must be the absolute http(s) URL of the request');
  }
  const token = readAccessToken(req.headers);
  const proofHeader = readProof(req.headers);
  const { requiredScopes, replayStore, dpopAlgorithms, dpopMaxAge, nonce, ...chainOptions } =
    options;
  const chain = await verifyChain(token, { ...chainOptions, allowUnchained: false });
  // Invariant 9, RFC 9449 §7: the request's own proof, bound to this token and this request.
  const proof = await verifyDecodedDpopProof(proofHeader, decodeDpopProof(proofHeader), {
    method: req.method,
    url: req.url,
    accessToken: token,
    accessTokenHash: chain.tokenHash,
    expectedJkt: chain.agentKeyThumbprint,
    algorithms: dpopAlgorithms,
    now: options.now,
    maxAge: dpopMaxAge,
    clockSkew: options.clockSkew,
    replayStore,
    nonce,
    // No cache holds a request's proof: its signature is the one a warm resource server always
    // computes, and its event loop serves other requests while the thread pool does.
    threadPool: true,
  });
  checkRequiredScopes(chain.scope, requiredScopes);
  return { ...chain, proof };
}

function headerValues(headers: PresentedRequest['headers'], name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) {
      continue;
    }
    values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values;
}

function readAccessToken(headers: PresentedRequest['headers']): string {
  const values = headerValues(headers, 'authorization');
  if (values.length === 0) {
    throw new RequestError('ERR_NO_CREDENTIALS', 'no credentials');
  }
  // RFC 6750 §3.1: more than one credential in one request is invalid_request. A proxy may
  // have folded several headers into one with commas, which a token68 never contains.
  if (values.length > 1 || values[0].includes(',')) {
    throw new RequestError('ERR_INVALID_REQUEST', 'more than one Authorization header', {
      claim: 'authorization',
    });
  }
  const match = AUTH_SCHEME.exec(values[0].trim());
  const scheme = match?.[1]?.toLowerCase();
  const credentials = match?.[2]?.trim() ?? '';
  // RFC 9449 §7.2: a DPoP-bound token must not be accepted with the Bearer scheme.
  if (scheme === 'bearer') {
    throw new RequestError('ERR_INVALID_REQUEST', 'DPoP-bound token sent with the Bearer scheme', {
      claim: 'authorization',
      expected: 'DPoP',
      actual: 'Bearer',
    });
  }
  // RFC 6750 §3.1: an unsupported authentication scheme counts as no credentials.
  if (scheme !== 'dpop') {
    throw new RequestError('ERR_NO_CREDENTIALS', 'no DPoP credentials', { claim: 'authorization' });
  }
  // RFC 9449 §7.1: credentials = "DPoP" 1*SP token68.
  if (!TOKEN68.test(credentials)) {
    throw new RequestError('ERR_INVALID_REQUEST', 'DPoP credentials are not a token68', {
      claim: 'authorization',
    });
  }
  return credentials;
}

function readProof(headers: PresentedRequest['headers']): string {
  const values = headerValues(headers, 'dpop');
  // RFC 9449 §7: a request with a DPoP-bound token carries a DPoP proof.
  if (values.length === 0) {
    throw new DpopProofError('ERR_DPOP_PROOF', 'DPoP proof missing', { claim: 'dpop' });
  }
  // RFC 9449 §4.3 step 1: not more than one DPoP header (a folded header has a comma).
  if (values.length > 1 || values[0].includes(',')) {
    throw new DpopProofError('ERR_DPOP_PROOF', 'more than one DPoP proof', { claim: 'dpop' });
  }
  return values[0].trim();
}
