import { createHmac } from 'node:crypto';

const ROUNDS = 4;

/**
 * A keyed pseudo-random permutation of [0, 2^bits) (a balanced Feistel network over HMAC-SHA-256,
 * `bits` even): slot n of a status list gets index permute(n), so indexes are unique without a
 * retry loop and say nothing about issuance order or volume (draft-ietf-oauth-status-list,
 * "Privacy Considerations": non-sequential indices against outsiders and colluding verifiers).
 */
export function permuteIndex(key: Buffer, bits: number, n: number): number {
  const half = bits / 2;
  const mask = (1 << half) - 1;
  let left = n >>> half;
  let right = n & mask;
  for (let round = 0; round < ROUNDS; round++) {
    const next = left ^ (roundFunction(key, round, right) & mask);
    left = right;
    right = next;
  }
  return ((left << half) | right) >>> 0;
}

function roundFunction(key: Buffer, round: number, value: number): number {
  return createHmac('sha256', key).update(`${round}:${value}`).digest().readUInt32BE(0);
}
