import { createHash } from 'node:crypto';

/** base64url(SHA-256(ASCII bytes of `value`)); node:crypto because WebCrypto costs ~50x more here. */
export function sha256Base64url(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest('base64url');
}

/**
 * base64url(SHA-256(ASCII of a compact JWS)) — the value of a link's `prev` and `sbj.hash`.
 *
 * @example hashCompact(links[0]) === decodeChain(token).links[1].claims.prev
 */
export function hashCompact(compact: string): string {
  return sha256Base64url(compact);
}
