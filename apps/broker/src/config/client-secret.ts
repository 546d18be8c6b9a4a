import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT_PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;
const FORMAT = /^scrypt:([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/;

/**
 * Hash a client secret for storage: `scrypt:<salt>:<hash>`, both base64url, scrypt N=2^14 r=8 p=1,
 * 16-byte random salt, 32-byte output. Synchronous because the config loader is; called once per
 * client at start-up.
 */
export function hashClientSecret(secret: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, KEY_LENGTH, SCRYPT_PARAMS);
  return `scrypt:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

/**
 * Check a presented client secret against a stored `scrypt:<salt>:<hash>` in constant time.
 * Returns false (never throws) for a malformed stored value or an empty secret.
 */
export async function verifyClientSecret(secretHash: string, presented: string): Promise<boolean> {
  const match = FORMAT.exec(secretHash);
  if (match === null || presented.length === 0) {
    return false;
  }
  const salt = Buffer.from(match[1], 'base64url');
  const expected = Buffer.from(match[2], 'base64url');
  if (expected.length !== KEY_LENGTH) {
    return false;
  }
  const actual = await new Promise<Buffer>((resolve, reject) => {
    scrypt(presented, salt, KEY_LENGTH, SCRYPT_PARAMS, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
  return timingSafeEqual(actual, expected);
}
