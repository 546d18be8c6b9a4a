import { PRIVATE_JWK_MEMBERS } from '../protocol/index.js';
/**
 * Header parameters that would let a token choose its own verification key (RFC 8725 §3.10,
 * RFC 7515 §4.1.2–§4.1.6). Domain-signed tokens and links carrying any of them are refused.
 */
export const KEY_SOURCE_HEADER_PARAMETERS = [
  'jku',
  'jwk',
  'x5u',
  'x5c',
  'x5t',
  'x5t#S256',
] as const;

export function findKeySourceParameter(header: Record<string, unknown>): string | undefined {
  return KEY_SOURCE_HEADER_PARAMETERS.find((name) => header[name] !== undefined);
}

export function findPrivateMember(jwk: Record<string, unknown>): string | undefined {
  return PRIVATE_JWK_MEMBERS.find((name) => jwk[name] !== undefined);
}

/** RFC 7515 §4.1.9: media types compare case-insensitively and `application/` may be omitted. */
export function typeMatches(actual: unknown, expected: string): boolean {
  if (typeof actual !== 'string') {
    return false;
  }
  const normalized = actual.toLowerCase();
  return normalized === expected || normalized === `application/${expected}`;
}
