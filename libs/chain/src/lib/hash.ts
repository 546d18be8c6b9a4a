import { createHash } from 'node:crypto';

/** base64url(SHA-256(ASCII bytes of `value`)); node:crypto because WebCrypto costs ~50x more here. */
export function sha256Base64url(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest('base64url');
}
