import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** How a stored private key is protected. */
export type KeyProtection = 'kek' | 'demo';

const VERSION = 'v1';

/**
 * The demo-mode key-encryption key: derived from a public label and the issuer, so it hides the
 * key from a casual look at the database and nothing more. Demo mode only, and said so loudly.
 */
export function demoKeyEncryptionKey(issuer: string): Buffer {
  return Buffer.from(
    hkdfSync(
      'sha256',
      'baton demo key-encryption key, NOT A SECRET',
      issuer,
      'baton/signing-key',
      32,
    ),
  );
}

/** AES-256-GCM with a random 96-bit IV; the kid is bound as additional data so rows cannot be swapped. */
export function encryptPrivateKey(plaintext: string, kek: Buffer, kid: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** @throws Error when the envelope is malformed or the key-encryption key is wrong. */
export function decryptPrivateKey(envelope: string, kek: Buffer, kid: string): string {
  const [version, iv, tag, ciphertext] = envelope.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new Error('unknown private key format');
  }
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(kid, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new Error('authentication failed (wrong key-encryption key, or the row was altered)');
  }
}
