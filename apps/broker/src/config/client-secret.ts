import {
  createHash,
  randomBytes,
  scrypt,
  scryptSync,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const SCRYPT_PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;
const SCRYPT_FORMAT = /^scrypt:([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/;
const SHA256_FORMAT = /^sha256:([A-Za-z0-9_-]{43})$/;
const GENERATED_PREFIX = 'baton_cs_';
/** The prefix and 32 random bytes in base64url: 256 bits of entropy. */
const GENERATED_SECRET = /^baton_cs_[A-Za-z0-9_-]{43}$/;

/** Compared against when the client is unknown or its hash is of another kind: never matches. */
const DECOY = {
  salt: randomBytes(16),
  sha256: randomBytes(KEY_LENGTH),
  scrypt: randomBytes(KEY_LENGTH),
};

/**
 * A new client secret: `baton_cs_` and 32 random bytes in base64url (256 bits of entropy).
 * Its shape tells the broker that a fast hash suffices (see {@link hashClientSecret}).
 */
export function generateClientSecret(): string {
  return `${GENERATED_PREFIX}${randomBytes(KEY_LENGTH).toString('base64url')}`;
}

/** True when `secret` has the shape of {@link generateClientSecret}'s output. */
export function isGeneratedSecret(secret: string): boolean {
  return GENERATED_SECRET.test(secret);
}

/**
 * Hash a client secret for storage. A generated secret (256 random bits) needs no work factor:
 * `sha256:<hash>`. Any other secret may be guessable, so it gets `scrypt:<salt>:<hash>` (N=2^14
 * r=8 p=1, 16-byte random salt, 32-byte output). Synchronous because the config loader is;
 * called once per client at start-up.
 */
export function hashClientSecret(secret: string): string {
  if (isGeneratedSecret(secret)) {
    return `sha256:${sha256(secret).toString('base64url')}`;
  }
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, KEY_LENGTH, SCRYPT_PARAMS);
  return `scrypt:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

/**
 * Check a presented client secret against a stored hash (or none, for an unknown client) in
 * constant time. The work done depends only on the presented secret's shape: a generated secret
 * costs one SHA-256, any other one scrypt, whether the client exists, whatever kind its hash is.
 * A generated secret only matches a `sha256:` hash and any other secret only a `scrypt:` one.
 * Returns false (never throws) for a malformed stored value or an empty secret.
 */
export async function verifyClientSecret(
  secretHash: string | undefined,
  presented: string,
): Promise<boolean> {
  if (isGeneratedSecret(presented)) {
    const expected = readSha256(secretHash);
    const matches = timingSafeEqual(sha256(presented), expected ?? DECOY.sha256);
    return matches && expected !== undefined;
  }
  const stored = readScrypt(secretHash);
  const actual = await scryptAsync(presented, stored?.salt ?? DECOY.salt);
  const matches = timingSafeEqual(actual, stored?.hash ?? DECOY.scrypt);
  return matches && stored !== undefined && presented.length > 0;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function readSha256(secretHash: string | undefined): Buffer | undefined {
  const match = SHA256_FORMAT.exec(secretHash ?? '');
  const hash = match === null ? undefined : Buffer.from(match[1], 'base64url');
  return hash?.length === KEY_LENGTH ? hash : undefined;
}

function readScrypt(secretHash: string | undefined): { salt: Buffer; hash: Buffer } | undefined {
  const match = SCRYPT_FORMAT.exec(secretHash ?? '');
  if (match === null) {
    return undefined;
  }
  const hash = Buffer.from(match[2], 'base64url');
  return hash.length === KEY_LENGTH
    ? { salt: Buffer.from(match[1], 'base64url'), hash }
    : undefined;
}

function scryptAsync(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, SCRYPT_PARAMS, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
