import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { permuteIndex } from './index-permutation.js';

describe('status list index permutation', () => {
  it('is a permutation: every slot of a 2^10 domain gets a distinct index inside it', () => {
    const key = randomBytes(32);
    const indexes = Array.from({ length: 2 ** 10 }, (_, n) => permuteIndex(key, 10, n));
    expect(new Set(indexes).size).toBe(2 ** 10);
    expect(indexes.every((idx) => idx >= 0 && idx < 2 ** 10)).toBe(true);
  });

  it('keeps the first 4096 slots of a 2^16 list distinct and inside the list', () => {
    const key = randomBytes(32);
    const indexes = Array.from({ length: 4096 }, (_, n) => permuteIndex(key, 16, n));
    expect(new Set(indexes).size).toBe(4096);
    expect(indexes.every((idx) => idx >= 0 && idx < 2 ** 16)).toBe(true);
  });

  it('does not hand out the first slots in order, and differs per key', () => {
    const first = (key: Buffer) => [0, 1, 2, 3, 4, 5, 6, 7].map((n) => permuteIndex(key, 16, n));
    const a = first(randomBytes(32));
    expect(a).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(first(randomBytes(32))).not.toEqual(a);
  });
});
