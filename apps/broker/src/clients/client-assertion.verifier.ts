import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
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

async function verifySignatureAndClaims(
  assertion: string,
  client: ClientConfig,
  options: ClientAssertionOptions,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(assertion, keySetOf(client), {
      algorithms: [...ACCEPTED_ALGORITHMS],
      // RFC 7523 §3 items 1, 2B: iss and sub are the client_id.
      issuer: client.clientId,
      subject: client.clientId,
      // RFC 7523 §3 item 3: aud identifies this authorization server.
      audience: [...options.audiences],
      // RFC 7523 §3 item 4: exp is required.
      requiredClaims: ['exp', 'jti'],
      currentDate: new Date(options.now * 1000),
      clockTolerance: options.clockSkew,
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JOSEError) {
      throw invalidAssertion(error.code, error);
    }
    throw error;
  }
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
