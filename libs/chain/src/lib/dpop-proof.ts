import { decodeJwt, type JWK } from 'jose';
import { DpopProofError } from './errors.js';
import { importAgentKey, thumbprintOf } from './agent-keys.js';
import { sha256Base64url } from './hash.js';
import { findPrivateMember } from './headers.js';
import { normalizeHtu } from './htu.js';
import { decodeHeader } from './protected-header.js';
import { isNonEmptyString, isObject, type JsonObject } from './json.js';
import { verifyCompactJws } from './verify-jws.js';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_DPOP_MAX_AGE_SECONDS,
  DPOP_ALGORITHMS,
  DPOP_PROOF_TYP,
  MAX_DPOP_PROOF_BYTES,
} from '../protocol/index.js';
import type { ReplayStore } from './replay-store.js';
import { systemEpochSeconds } from './time.js';

export interface VerifyDpopProofOptions {
  /** The request's HTTP method, compared exactly with `htm`. */
  method: string;
  /** The request's absolute URL; query and fragment are ignored. */
  url: string;
  /** When given, the proof must carry `ath` = base64url(SHA-256(accessToken)). */
  accessToken?: string;
  /** When given, the proof key's RFC 7638 thumbprint must equal it (the token's `cnf.jkt`). */
  expectedJkt?: string;
  /** Accepted `alg` values; intersected with DPOP_ALGORITHMS (never `none` or HMAC). */
  algorithms?: readonly string[];
  /** Current time in integer epoch seconds. Default `Math.floor(Date.now() / 1000)`. */
  now?: number;
  /** Oldest acceptable `iat`, in seconds before now. Default 60. */
  maxAge?: number;
  clockSkew?: number;
  /** Records `jkt:jti` so the proof is accepted once; checked last. */
  replayStore?: ReplayStore;
  /** Server nonce check (RFC 9449 §8, §9); receives the proof's `nonce` claim. */
  nonce?: (nonce: string | undefined) => boolean | Promise<boolean>;
  /** Computes the signature check on libuv's thread pool (verifyCompactJws's `threadPool`). */
  threadPool?: boolean;
}

export interface VerifiedDpopProof {
  jkt: string;
  jti: string;
  iat: number;
  htm: string;
  /** The proof's `htu` as sent. */
  htu: string;
  /** The proof's public key, as embedded in its header. */
  jwk: JWK;
  compact: string;
  nonce?: string;
}

const MAX_JTI_LENGTH = 256;

/**
 * Checks one DPoP proof JWT as RFC 9449 §4.3 describes: explicit `typ`, an allowed asymmetric
 * `alg`, a public `jwk` header that verifies the signature, the `jti`/`htm`/`htu`/`iat` claims
 * against this request, `ath` for the presented access token, the key thumbprint against the
 * token's `cnf.jkt`, the server nonce, and finally single use through the replay store.
 *
 * Does not check: that only one `DPoP` header was sent (the caller passes one value), that the
 * access token itself is valid, or replay when no `replayStore` is given.
 *
 * @example
 * const proof = await verifyDpopProof(req.headers.dpop, { method: 'GET', url, accessToken, expectedJkt, replayStore });
 * @throws DpopProofError `ERR_DPOP_PROOF` (detail.claim names the check), `ERR_DPOP_NONCE`, `ERR_DPOP_REPLAY`.
 */
export async function verifyDpopProof(
  proof: string,
  options: VerifyDpopProofOptions,
): Promise<VerifiedDpopProof> {
  return verifyDecodedDpopProof(proof, decodeDpopProof(proof), options);
}

/** A DPoP proof's protected header and claims, decoded by jose but not verified. */
export interface DecodedDpopProof {
  /** Shared with every proof of the same header, hence frozen. */
  header: Readonly<JsonObject>;
  payload: JsonObject;
}

/** verifyDpopProof for a proof decoded once by {@link decodeDpopProof} (hop proofs reuse the claims). */
export async function verifyDecodedDpopProof(
  proof: string,
  { header, payload }: DecodedDpopProof,
  options: VerifyDpopProofOptions & {
    /** base64url(SHA-256(accessToken)) when the caller has it already. */
    accessTokenHash?: string;
    /**
     * Whether the caller knows first-hand that `proof` carries a good signature by the key with
     * thumbprint `jkt` (its `jwk`): then that key is not imported nor the signature computed.
     */
    signatureKnown?: (proof: string, jkt: string) => boolean;
  },
): Promise<VerifiedDpopProof> {
  const now = options.now ?? systemEpochSeconds();
  const skew = options.clockSkew ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const maxAge = options.maxAge ?? DEFAULT_DPOP_MAX_AGE_SECONDS;
  const alg = checkAlgorithm(header, options.algorithms);
  const jwk = checkPublicJwk(header);
  const jkt = await verifySignature(proof, jwk, alg, options);
  const claims = checkRequiredClaims(payload);
  checkMethod(claims.htm, options.method);
  checkTargetUri(claims.htu, options.url);
  checkIssuedAt(claims.iat, now, maxAge, skew);
  checkAccessTokenHash(payload['ath'], options.accessToken, options.accessTokenHash);
  checkThumbprint(jkt, options.expectedJkt);
  const nonce = typeof payload['nonce'] === 'string' ? payload['nonce'] : undefined;
  if (options.nonce !== undefined) {
    await checkNonce(nonce, options.nonce);
  }
  if (options.replayStore !== undefined) {
    // RFC 9449 §11.1: a proof is accepted once; the key names both the agent key and the jti.
    const fresh = await options.replayStore.checkAndStore(
      `${jkt}:${claims.jti}`,
      claims.iat + maxAge + skew,
    );
    if (!fresh) {
      throw new DpopProofError('ERR_DPOP_REPLAY', 'DPoP proof already used', { claim: 'jti' });
    }
  }
  const result: VerifiedDpopProof = { jkt, jwk, compact: proof, ...claims };
  return nonce === undefined ? result : { ...result, nonce };
}

function fail(
  claim: string,
  message: string,
  extra: { expected?: unknown; actual?: unknown; cause?: unknown } = {},
) {
  return new DpopProofError('ERR_DPOP_PROOF', message, { claim, ...extra });
}

/**
 * RFC 9449 §4.3 step 2: a single well-formed compact JWS, decoded.
 *
 * @throws DpopProofError `ERR_DPOP_PROOF` with `detail.claim` `proof`.
 */
export function decodeDpopProof(proof: string): DecodedDpopProof {
  if (
    typeof proof !== 'string' ||
    proof.length > MAX_DPOP_PROOF_BYTES ||
    proof.split('.').length !== 3
  ) {
    throw fail('proof', 'DPoP proof not a compact JWS');
  }
  try {
    return { header: decodeHeader(proof), payload: decodeJwt(proof) };
  } catch (cause) {
    throw fail('proof', 'DPoP proof not a compact JWS', { cause });
  }
}

function checkAlgorithm(header: JsonObject, allowed: readonly string[] | undefined): string {
  // RFC 9449 §4.3 step 4: typ is dpop+jwt.
  if (header['typ'] !== DPOP_PROOF_TYP) {
    throw fail('typ', 'DPoP proof typ is wrong', {
      expected: DPOP_PROOF_TYP,
      actual: header['typ'],
    });
  }
  // RFC 9449 §4.3 step 5: an asymmetric algorithm this server accepts, never none or MAC.
  const permitted: readonly string[] = DPOP_ALGORITHMS;
  const alg = header['alg'];
  const list = (allowed ?? DPOP_ALGORITHMS).filter((a) => permitted.includes(a));
  if (typeof alg !== 'string' || !list.includes(alg)) {
    throw fail('alg', 'DPoP proof algorithm not allowed', { expected: list, actual: alg });
  }
  return alg;
}

function checkPublicJwk(header: JsonObject): JWK {
  const jwk = header['jwk'];
  if (!isObject(jwk) || typeof jwk['kty'] !== 'string') {
    throw fail('jwk', 'DPoP proof jwk missing');
  }
  // RFC 9449 §4.3 step 7: the jwk header must not contain a private key.
  const member = findPrivateMember(jwk);
  if (member !== undefined) {
    throw fail('jwk', 'DPoP proof key is not a public key', { actual: member });
  }
  return jwk;
}

async function verifySignature(
  proof: string,
  jwk: JWK,
  alg: string,
  {
    signatureKnown,
    threadPool,
  }: {
    signatureKnown?: (proof: string, jkt: string) => boolean;
    threadPool?: boolean;
  },
): Promise<string> {
  // RFC 9449 §4.3 step 6: the signature verifies with the public key in the jwk header.
  try {
    const jkt = thumbprintOf(jwk);
    if (signatureKnown?.(proof, jkt) !== true) {
      const key = await importAgentKey(jwk, jkt, alg);
      await verifyCompactJws(proof, key, [alg], { threadPool });
    }
    return jkt;
  } catch (cause) {
    throw fail('signature', 'DPoP proof signature invalid', { cause });
  }
}

function checkRequiredClaims(payload: JsonObject): {
  jti: string;
  htm: string;
  htu: string;
  iat: number;
} {
  // RFC 9449 §4.3 step 3 with §4.2: jti, htm, htu and iat are required.
  const { jti, htm, htu, iat } = payload;
  if (!isNonEmptyString(jti, MAX_JTI_LENGTH)) {
    throw fail('jti', 'DPoP proof jti missing or too long');
  }
  if (!isNonEmptyString(htm, 64)) {
    throw fail('htm', 'DPoP proof htm missing');
  }
  if (!isNonEmptyString(htu)) {
    throw fail('htu', 'DPoP proof htu missing');
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw fail('iat', 'DPoP proof iat missing');
  }
  return { jti, htm, htu, iat };
}

function checkMethod(htm: string, method: string): void {
  // RFC 9449 §4.3 step 8: htm matches the request method.
  if (htm !== method) {
    throw fail('htm', 'DPoP proof htm does not match the request', {
      expected: method,
      actual: htm,
    });
  }
}

function checkTargetUri(htu: string, url: string): void {
  // RFC 9449 §4.3 step 9: htu matches the request URI without query and fragment (RFC 3986 §6.2.2–6.2.3).
  const expected = normalizeHtu(url);
  const actual = htu === url ? expected : normalizeHtu(htu);
  if (expected === undefined || actual === undefined || expected !== actual) {
    throw fail('htu', 'DPoP proof htu does not match the request', {
      expected,
      actual: actual ?? htu,
    });
  }
}

function checkIssuedAt(iat: number, now: number, maxAge: number, skew: number): void {
  // RFC 9449 §4.3 step 11 and §11.1: created within the acceptable window.
  if (iat < now - maxAge - skew || iat > now + skew) {
    throw fail('iat', 'DPoP proof iat outside the acceptable window', {
      expected: [now - maxAge - skew, now + skew],
      actual: iat,
    });
  }
}

function checkAccessTokenHash(
  ath: unknown,
  accessToken: string | undefined,
  accessTokenHash: string | undefined,
): void {
  if (accessToken === undefined) {
    return;
  }
  // RFC 9449 §4.3 step 12 and §7.1: ath is the base64url SHA-256 of the presented access token.
  if (ath !== (accessTokenHash ?? sha256Base64url(accessToken))) {
    throw fail('ath', 'DPoP proof ath does not match the access token');
  }
}

function checkThumbprint(jkt: string, expectedJkt: string | undefined): void {
  // RFC 9449 §4.3 step 12 and §6.1: the proof key is the key the token is bound to.
  if (expectedJkt !== undefined && jkt !== expectedJkt) {
    throw fail('jkt', 'DPoP proof key is not the bound key', {
      expected: expectedJkt,
      actual: jkt,
    });
  }
}

async function checkNonce(
  value: string | undefined,
  check: (nonce: string | undefined) => boolean | Promise<boolean>,
): Promise<void> {
  // RFC 9449 §4.3 step 10 and §8: the nonce this server provided.
  if (!(await check(value))) {
    throw new DpopProofError('ERR_DPOP_NONCE', 'DPoP nonce missing or stale', { claim: 'nonce' });
  }
}
