import { SignatureError } from './errors.js';
import type { IssuerRole } from '../protocol/index.js';
import type { IssuerTrust } from './issuer-trust.js';
import { findKeySourceParameter } from './headers.js';
import type { DecodedJws } from './parse-chain.js';
import { verifyCompactJws } from './verify-jws.js';

/**
 * Invariant 1: `jws` is signed by a key its issuer publishes, and the issuer is trusted in
 * `role`. Trust is checked before any key is looked up, so an untrusted `iss` is never fetched.
 * With `signatureKnown` (this process made the signature: LinkCache.rememberSignature) every
 * check runs but the signature arithmetic.
 */
export async function checkDomainSignature(
  jws: DecodedJws,
  issuer: string,
  role: IssuerRole,
  trust: IssuerTrust,
  link?: number,
  signatureKnown = false,
): Promise<void> {
  if (!trust.isTrusted(issuer, role)) {
    throw new SignatureError('ERR_UNTRUSTED_ISSUER', 'issuer not trusted', {
      link,
      issuer,
      claim: 'iss',
      expected: role,
    });
  }
  // RFC 8725 §3.10: never take the verification key (or where to fetch it) from the token itself.
  const keySource = findKeySourceParameter(jws.header);
  if (keySource !== undefined) {
    throw new SignatureError('ERR_SIGNATURE', 'header names its own key', {
      link,
      issuer,
      claim: keySource,
    });
  }
  const { alg, kid } = jws.header;
  let key;
  try {
    key = await trust.getVerificationKey(issuer, {
      alg: typeof alg === 'string' ? alg : undefined,
      kid: typeof kid === 'string' ? kid : undefined,
    });
  } catch (error) {
    throw withLink(error, link);
  }
  if (signatureKnown) {
    return;
  }
  try {
    // decodeCompact checked the three parts against the base64url alphabet.
    await verifyCompactJws(jws.compact, key, [alg as string], { base64urlChecked: true });
  } catch (cause) {
    throw new SignatureError('ERR_SIGNATURE', 'signature invalid', {
      link,
      issuer,
      claim: 'signature',
      cause,
    });
  }
}

function withLink(error: unknown, link: number | undefined): unknown {
  if (!(error instanceof SignatureError) || link === undefined) {
    return error;
  }
  const code = error.code as 'ERR_UNTRUSTED_ISSUER' | 'ERR_SIGNATURE' | 'ERR_KEYS_UNAVAILABLE';
  return new SignatureError(code, error.message, { ...error.detail, link, cause: error.cause });
}
