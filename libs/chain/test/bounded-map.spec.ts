import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../src/lib/bounded-map.js';

describe('BoundedMap', () => {
  it('holds at most maxEntries, forgetting the oldest placed first', () => {
    const map = new BoundedMap<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c', 'd', 'e'].entries()) {
      map.set(key, i);
    }
    expect(map.size).toBe(3);
    expect([map.get('a'), map.get('b'), map.get('c'), map.get('d'), map.get('e')]).toEqual([
      undefined,
      undefined,
      2,
      3,
      4,
    ]);
  });

  it('keeps the entry read since the other was written (least recently used goes)', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
  });

  it('never forgets an entry read at least once every maxEntries / 2 writes', () => {
    const maxEntries = 100;
    const map = new BoundedMap<string, number>(maxEntries);
    map.set('hot', -1);
    for (let i = 0; i < 10 * maxEntries; i += 1) {
      map.set(`cold-${i}`, i);
      if (i % (maxEntries / 2) === 0) {
        expect(map.get('hot')).toBe(-1);
      }
      expect(map.size).toBeLessThanOrEqual(maxEntries);
    }
    expect(map.get('hot')).toBe(-1);
    expect(map.get(`cold-${10 * maxEntries - maxEntries}`)).toBeUndefined();
  });

  it('forgets an entry not read for maxEntries writes, and a value written again is fresh', () => {
    const map = new BoundedMap<string, number>(4);
    map.set('a', 1);
    map.set('a', 2);
    for (let i = 0; i < 3; i += 1) {
      map.set(`x${i}`, i);
    }
    expect(map.get('a')).toBe(2);
    for (let i = 3; i < 7; i += 1) {
      map.set(`x${i}`, i);
    }
    expect(map.get('a')).toBeUndefined();
    map.clear();
    expect(map.size).toBe(0);
  });
});
