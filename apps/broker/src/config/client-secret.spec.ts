import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  generateClientSecret,
  hashClientSecret,
  isGeneratedSecret,
  verifyClientSecret,
} from './client-secret.js';

const CHOSEN = 'a-human-chosen-secret';

async function medianMs(run: () => Promise<unknown>, times = 5): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(times / 2)];
}

describe('client secrets', () => {
  it('generates 256-bit secrets that hash with SHA-256, not scrypt', async () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^baton_cs_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(9), 'base64url')).toHaveLength(32);
    expect(generateClientSecret()).not.toBe(secret);
    const hash = hashClientSecret(secret);
    expect(hash).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
    expect(await verifyClientSecret(hash, secret)).toBe(true);
    expect(await verifyClientSecret(hash, generateClientSecret())).toBe(false);
  });

  it('keeps scrypt for a chosen secret', async () => {
    expect(isGeneratedSecret(CHOSEN)).toBe(false);
    const hash = hashClientSecret(CHOSEN);
    expect(hash).toMatch(/^scrypt:[\w-]+:[\w-]+$/);
    expect(await verifyClientSecret(hash, CHOSEN)).toBe(true);
    expect(await verifyClientSecret(hash, `${CHOSEN}!`)).toBe(false);
  });

  it('never matches across kinds, an unknown client, a malformed hash or an empty secret', async () => {
    const generated = generateClientSecret();
    expect(await verifyClientSecret(hashClientSecret(CHOSEN), generated)).toBe(false);
    expect(await verifyClientSecret(hashClientSecret(generated), CHOSEN)).toBe(false);
    expect(await verifyClientSecret(undefined, generated)).toBe(false);
    expect(await verifyClientSecret(undefined, CHOSEN)).toBe(false);
    expect(await verifyClientSecret('sha256:short', generated)).toBe(false);
    expect(await verifyClientSecret('scrypt:bad', CHOSEN)).toBe(false);
    expect(await verifyClientSecret(hashClientSecret(CHOSEN), '')).toBe(false);
  });

  it('costs the same for an unknown client as for a known one, by the presented secret kind', async () => {
    const generated = generateClientSecret();
    const fastHash = hashClientSecret(generated);
    const slowHash = hashClientSecret(CHOSEN);
    const fastKnown = await medianMs(() => verifyClientSecret(fastHash, generated));
    const fastUnknown = await medianMs(() => verifyClientSecret(undefined, generated));
    const slowKnown = await medianMs(() => verifyClientSecret(slowHash, CHOSEN));
    const slowUnknown = await medianMs(() => verifyClientSecret(undefined, CHOSEN));
    // A chosen secret presented for a client with a generated one still costs one scrypt.
    const slowAgainstFast = await medianMs(() => verifyClientSecret(fastHash, CHOSEN));
    const scrypt = Math.min(slowKnown, slowUnknown, slowAgainstFast);
    expect(Math.max(fastKnown, fastUnknown)).toBeLessThan(scrypt / 5);
    expect(Math.max(slowKnown, slowUnknown, slowAgainstFast)).toBeLessThan(scrypt * 3);
  });
});
