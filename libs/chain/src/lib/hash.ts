import { createHash, hash } from 'node:crypto';

/** base64url(SHA-256(ASCII bytes of `value`)); node:crypto because WebCrypto costs ~50x more here. */
export function sha256Base64url(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest('base64url');
}

/**
 * sha256Base64url of a value that is ASCII (its UTF-8 bytes are its ASCII bytes) or that only
 * needs to match such values, in one call without a Hash object: each of those is a native
 * object the garbage collector has to finalise, ~4 per verifyChain at depth 3.
 */
export function sha256OfAscii(value: string): string {
  return hash('sha256', value, 'base64url');
}

/**
 * base64url(SHA-256(ASCII of a compact JWS)) — the value of a link's `prev` and `sbj.hash`.
 *
 * @example hashCompact(links[0]) === decodeChain(token).links[1].claims.prev
 */
export function hashCompact(compact: string): string {
  return sha256Base64url(compact);
}
