import { compactVerify, CompactSign, generateKeyPair, type CryptoKey } from 'jose';

/** CPU microseconds jose needs for `verifies` ES256 verifications and `signs` signatures, keys imported once. */
export async function joseFloorMicros(
  verifies: number,
  signs: number,
  iterations: number,
): Promise<number> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const payload = new TextEncoder().encode(JSON.stringify({ sample: 'x'.repeat(600) }));
  const jws = await sign(payload, privateKey);
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i += 1) {
    for (let v = 0; v < verifies; v += 1) {
      await compactVerify(jws, publicKey);
    }
    for (let s = 0; s < signs; s += 1) {
      await sign(payload, privateKey);
    }
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations;
}

function sign(payload: Uint8Array, key: CryptoKey): Promise<string> {
  return new CompactSign(payload).setProtectedHeader({ alg: 'ES256' }).sign(key);
}
