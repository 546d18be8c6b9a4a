import { compactVerify, CompactSign, generateKeyPair, type CryptoKey } from 'jose';
import { median } from './stats.js';

/** Untimed exchanges' worth of jose calls first: the JIT compiles jose's path before timing. */
const WARM_UP_ITERATIONS = 50;
/** Iterations per timed block; the floor is the median block's CPU per iteration. */
const BLOCK = 20;

/**
 * CPU microseconds jose needs for `verifies` ES256 verifications and `signs` signatures (one
 * exchange's worth), keys imported once: process CPU time (all threads, as for the servers), the
 * median over blocks of `BLOCK` iterations after a warm-up, so a block that shared the machine
 * with something else does not move the floor.
 */
export async function joseFloorMicros(
  verifies: number,
  signs: number,
  iterations: number,
): Promise<number> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const payload = new TextEncoder().encode(JSON.stringify({ sample: 'x'.repeat(600) }));
  const jws = await sign(payload, privateKey);
  const once = async () => {
    for (let v = 0; v < verifies; v += 1) {
      await compactVerify(jws, publicKey);
    }
    for (let s = 0; s < signs; s += 1) {
      await sign(payload, privateKey);
    }
  };
  for (let i = 0; i < WARM_UP_ITERATIONS; i += 1) {
    await once();
  }
  const blocks: number[] = [];
  for (let done = 0; done < iterations; done += BLOCK) {
    const start = process.cpuUsage();
    for (let i = 0; i < BLOCK; i += 1) {
      await once();
    }
    const used = process.cpuUsage(start);
    blocks.push((used.user + used.system) / BLOCK);
  }
  return median(blocks);
}

function sign(payload: Uint8Array, key: CryptoKey): Promise<string> {
  return new CompactSign(payload).setProtectedHeader({ alg: 'ES256' }).sign(key);
}
