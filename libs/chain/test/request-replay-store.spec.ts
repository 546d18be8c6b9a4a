import { describe, expect, it } from 'vitest';
import { MemoryReplayStore } from '@baton/chain';

function clock(start: number): { now: () => number; advance: (s: number) => void } {
  let t = start;
  return { now: () => t, advance: (s) => (t += s) };
}

describe('MemoryReplayStore', () => {
  it('accepts a jti once and refuses it while it is unexpired', async () => {
    const c = clock(1_000);
    const store = new MemoryReplayStore({ now: c.now });
    expect(await store.checkAndStore('a', 1_060)).toBe(true);
    expect(await store.checkAndStore('a', 1_060)).toBe(false);
    c.advance(59);
    expect(await store.checkAndStore('a', 1_120)).toBe(false);
  });

  it('forgets a jti once it has expired', async () => {
    const c = clock(1_000);
    const store = new MemoryReplayStore({ now: c.now });
    await store.checkAndStore('a', 1_060);
    c.advance(60);
    expect(await store.checkAndStore('a', 1_120)).toBe(true);
    expect(store.size).toBe(1);
  });

  it('refuses a concurrent duplicate: only one of two simultaneous calls wins', async () => {
    const store = new MemoryReplayStore();
    const exp = Math.floor(Date.now() / 1000) + 60;
    const results = await Promise.all([
      store.checkAndStore('x', exp),
      store.checkAndStore('x', exp),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('keeps an already-expired key for a moment so an immediate retry is caught', async () => {
    const c = clock(1_000);
    const store = new MemoryReplayStore({ now: c.now });
    expect(await store.checkAndStore('late', 900)).toBe(true);
    expect(await store.checkAndStore('late', 900)).toBe(false);
  });

  it('refuses empty keys and non-finite expiries', async () => {
    const store = new MemoryReplayStore();
    expect(await store.checkAndStore('', 2_000_000_000)).toBe(false);
    expect(await store.checkAndStore('k', Number.NaN)).toBe(false);
    expect(store.size).toBe(0);
  });

  it('rejects a nonsensical bound', () => {
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new MemoryReplayStore({ maxEntries: 1.5 })).toThrow(RangeError);
  });

  it('stays within its bound under a flood of 200k unique jtis and fails closed when full', async () => {
    const c = clock(1_000);
    const maxEntries = 10_000;
    const store = new MemoryReplayStore({ maxEntries, now: c.now });
    let accepted = 0;
    let maxSize = 0;
    for (let i = 0; i < 200_000; i++) {
      if (await store.checkAndStore(`flood-${i}`, 1_000 + 60)) {
        accepted += 1;
      }
      maxSize = Math.max(maxSize, store.size);
    }
    expect(maxSize).toBe(maxEntries);
    expect(accepted).toBe(maxEntries);
    expect(store.overflows).toBe(200_000 - maxEntries);
    // Every remembered jti is still refused: nothing unexpired was evicted to make room.
    expect(await store.checkAndStore('flood-0', 1_060)).toBe(false);
    expect(await store.checkAndStore(`flood-${maxEntries - 1}`, 1_060)).toBe(false);
  });

  it('evicts in expiry order: room frees up exactly as entries expire', async () => {
    const c = clock(1_000);
    const store = new MemoryReplayStore({ maxEntries: 3, now: c.now });
    await store.checkAndStore('late', 1_100);
    await store.checkAndStore('early', 1_010);
    await store.checkAndStore('middle', 1_050);
    expect(await store.checkAndStore('new-1', 1_200)).toBe(false);
    c.advance(10);
    expect(await store.checkAndStore('new-1', 1_200)).toBe(true);
    expect(await store.checkAndStore('middle', 1_200)).toBe(false);
    expect(await store.checkAndStore('late', 1_200)).toBe(false);
    c.advance(40);
    expect(await store.checkAndStore('middle', 1_200)).toBe(true);
    expect(store.size).toBe(3);
  });

  it('with a rolling flood, memory stays bounded while proofs keep being accepted', async () => {
    const c = clock(1_000);
    const maxEntries = 5_000;
    const store = new MemoryReplayStore({ maxEntries, now: c.now });
    let accepted = 0;
    let maxSize = 0;
    for (let i = 0; i < 200_000; i++) {
      if (i % 1_000 === 0) {
        c.advance(1);
      }
      if (await store.checkAndStore(`r-${i}`, c.now() + 3)) {
        accepted += 1;
      }
      maxSize = Math.max(maxSize, store.size);
    }
    expect(accepted).toBe(200_000);
    expect(maxSize).toBeLessThanOrEqual(maxEntries);
  });
});
