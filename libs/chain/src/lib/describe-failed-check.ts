import type { ChainError, ChainErrorCode } from './errors.js';

const FIXED_TEXT_ONLY: ReadonlySet<ChainErrorCode> = new Set([
  'ERR_NO_CREDENTIALS',
  'ERR_DPOP_REPLAY',
  'ERR_DPOP_NONCE',
  'ERR_INSUFFICIENT_SCOPE',
]);

const PRINTABLE_ISSUER = /[^\x21\x23-\x5B\x5D-\x7E]/g;
const CLAIM_NAME = /[^A-Za-z0-9_.#-]/g;
/** A run that could be (part of) a compact JWS; library messages never hold one, but never echo it. */
const TOKEN_LIKE = /[A-Za-z0-9_.-]{24,}/g;

/**
 * One line naming the check a refusal failed — the library's fixed message, the link index,
 * the issuer, the claim and, for an untrusted issuer, the role it lacks — for
 * `error_description`, `WWW-Authenticate` and logs, so the people who must fix a chain learn
 * which check failed. Never contains a token; issuer and claim names are reduced to printable
 * characters without quotes or backslashes and shortened.
 *
 * Returns undefined where the error code says it all (no credentials, replay, nonce, scope).
 *
 * @example describeFailedCheck(error) // 'hop proof made before the hop it extends (link 2, issuer https://c.example, claim dpop.iat)'
 */
export function describeFailedCheck(error: ChainError): string | undefined {
  if (FIXED_TEXT_ONLY.has(error.code)) {
    return undefined;
  }
  const { link, issuer, claim, expected } = error.detail;
  const text = error.message.replace(TOKEN_LIKE, '(redacted)');
  const message = error.code === 'ERR_DPOP_PROOF' ? text.replace(/^DPoP proof /, '') : text;
  const parts: string[] = [];
  if (link !== undefined) {
    parts.push(`link ${link}`);
  }
  if (issuer !== undefined) {
    parts.push(`issuer ${shorten(issuer.replace(PRINTABLE_ISSUER, ''), 200)}`);
  }
  const claimName = claim === undefined ? undefined : shorten(claim.replace(CLAIM_NAME, ''), 64);
  if (claimName !== undefined && !message.split(' ').includes(claimName)) {
    parts.push(`claim ${claimName}`);
  }
  if (error.code === 'ERR_UNTRUSTED_ISSUER' && typeof expected === 'string') {
    parts.push(`role ${shorten(expected.replace(CLAIM_NAME, ''), 16)}`);
  }
  return parts.length === 0 ? message : `${message} (${parts.join(', ')})`;
}

function shorten(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max)}...`;
}
