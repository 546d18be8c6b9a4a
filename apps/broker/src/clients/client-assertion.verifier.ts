import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, type JWTPayload } from 'jose';
import { verifyCompactJws } from '@baton/chain';
import type { ClientConfig } from '../config/broker-config.js';
import { CLIENT_ASSERTION_ALGORITHMS } from '../discovery/authorization-server-metadata.js';
import { OAuthError } from '../oauth/oauth-error.js';

/**
 * The advertised asymmetric algorithms (RFC 8725 §3.1: never `none`, never a MAC over a shared
 * secret), plus `Ed25519`, the fully-specified name some clients use for EdDSA.
 */
const ACCEPTED_ALGORITHMS: readonly string[] = [...CLIENT_ASSERTION_ALGORITHMS, 'Ed25519'];
/** The longest an assertion may live (exp − iat, or exp − now): RFC 7523 §3 lets the server bound it. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

export interface ClientAssertionOptions {
  /** Values accepted as `aud`: this issuer and its token endpoint (RFC 7523 §3 item 3). */
  audiences: readonly string[];
  now: number;
  clockSkew: number;
}

export interface VerifiedClientAssertion {
  jti: string;
  exp: number;
}

const keySets = new WeakMap<ClientConfig, ReturnType<typeof createLocalJWKSet>>();

/**
 * RFC 7523 §3 for client authentication: signed by one of the client's registered keys with an
 * allowed algorithm; `iss` = `sub` = client_id; `aud` this authorization server; `exp` present,
 * not passed and not far off; `jti` present. Does not check that `jti` is unused: the caller
 * records it.
 */
export async function verifyClientAssertion(
  assertion: string,
  client: ClientConfig,
  options: ClientAssertionOptions,
): Promise<VerifiedClientAssertion> {
  const payload = await verifySignatureAndClaims(assertion, client, options);
  const { jti, exp, iat } = payload;
  // RFC 7523 §3 item 7: a jti lets the server refuse a replayed assertion.
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) {
    throw invalidAssertion('jti missing');
  }
  // RFC 7523 §3 item 4: the server may reject an exp unreasonably far in the future.
  const lifetime =
    (exp as number) - (typeof iat === 'number' ? Math.min(iat, options.now) : options.now);
  if (lifetime > MAX_ASSERTION_LIFETIME_SECONDS + options.clockSkew) {
    throw invalidAssertion('lifetime too long');
  }
  return { jti, exp: exp as number };
}

/**
 * The signature, then the claims. jose decodes the header and payload, applies every JWS rule
 * and picks the client's registered key (by `kid` and `alg`); the signature is checked by
 * `verifyCompactJws`, the chain library's verification (node:crypto for ES256, ES384 and EdDSA,
 * jose whole for anything else), as every other JWS on the token path. A test runs each case
 * through jose's `jwtVerify` too and expects the same verdict and error code.
 */
async function verifySignatureAndClaims(
  assertion: string,
  client: ClientConfig,
  options: ClientAssertionOptions,
): Promise<JWTPayload> {
  try {
    if (assertion.split('.').length !== 3) {
      throw new errors.JWSInvalid('a compact JWS has three parts');
    }
    const header = decodeProtectedHeader(assertion);
    // RFC 8725 §3.1: only the advertised asymmetric algorithms, checked before any key is looked up.
    if (typeof header.alg !== 'string' || !ACCEPTED_ALGORITHMS.includes(header.alg)) {
      throw new errors.JOSEAlgNotAllowed('alg not accepted for client assertions');
    }
    const key = await keySetOf(client)(header);
    await verifyCompactJws(assertion, key, ACCEPTED_ALGORITHMS);
    // RFC 7519 §7.2: a JWT's payload is base64url-encoded (no RFC 7797 `b64: false`).
    if (header.b64 !== undefined) {
      throw new errors.JWTInvalid('a JWT payload is never unencoded');
    }
    const claims = decodeJwt(assertion);
    checkAssertionClaims(claims, client.clientId, options);
    return claims;
  } catch (error) {
    if (error instanceof errors.JOSEError) {
      throw invalidAssertion(error.code, error);
    }
    throw error;
  }
}

/**
 * RFC 7523 §3 on the verified claims, in this order: `iss`, `sub`, `aud`, `jti` and `exp`
 * present (items 1, 2, 3, 4, 7); `iss` and `sub` the client_id (items 1, 2B); `aud` naming this
 * authorization server, as a string or in an array (item 3); `iat` and `nbf` numbers when present,
 * `nbf` not in the future (item 5); `exp` a number not passed (item 4), both with the clock skew.
 */
function checkAssertionClaims(
  claims: JWTPayload,
  clientId: string,
  options: ClientAssertionOptions,
): void {
  for (const claim of ['iss', 'sub', 'aud', 'jti', 'exp'] as const) {
    if (!Object.hasOwn(claims, claim)) {
      throw new errors.JWTClaimValidationFailed(
        `missing required "${claim}" claim`,
        claims,
        claim,
        'missing',
      );
    }
  }
  if (claims.iss !== clientId) {
    throw unexpectedClaim(claims, 'iss');
  }
  if (claims.sub !== clientId) {
    throw unexpectedClaim(claims, 'sub');
  }
  if (!namesAudience(claims.aud, options.audiences)) {
    throw unexpectedClaim(claims, 'aud');
  }
  numericDate(claims, 'iat');
  const nbf = numericDate(claims, 'nbf');
  if (nbf !== undefined && nbf > options.now + options.clockSkew) {
    throw new errors.JWTClaimValidationFailed('"nbf" is in the future', claims, 'nbf');
  }
  const exp = numericDate(claims, 'exp');
  if (exp !== undefined && exp <= options.now - options.clockSkew) {
    throw new errors.JWTExpired('"exp" has passed', claims, 'exp');
  }
}

function namesAudience(aud: unknown, audiences: readonly string[]): boolean {
  if (typeof aud === 'string') {
    return audiences.includes(aud);
  }
  return Array.isArray(aud) && audiences.some((audience) => aud.includes(audience));
}

/** The claim's value when it is a number; undefined when absent; refused otherwise. */
function numericDate(claims: JWTPayload, claim: 'iat' | 'nbf' | 'exp'): number | undefined {
  const value = claims[claim];
  if (value !== undefined && typeof value !== 'number') {
    throw new errors.JWTClaimValidationFailed(`"${claim}" must be a number`, claims, claim);
  }
  return value;
}

function unexpectedClaim(claims: JWTPayload, claim: string): errors.JWTClaimValidationFailed {
  return new errors.JWTClaimValidationFailed(`unexpected "${claim}" claim value`, claims, claim);
}

function keySetOf(client: ClientConfig): ReturnType<typeof createLocalJWKSet> {
  let keySet = keySets.get(client);
  if (keySet === undefined) {
    keySet = createLocalJWKSet({ keys: [...(client.jwks?.keys ?? [])] });
    keySets.set(client, keySet);
  }
  return keySet;
}

function invalidAssertion(detail: string, cause?: unknown): OAuthError {
  return new OAuthError('invalid_client', 'the client assertion is invalid', {
    detail: `client assertion: ${detail}`,
    cause,
  });
}
