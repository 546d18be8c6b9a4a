import { describe, expect, it } from 'vitest';
import { WindowCounterStorage } from './window-counter.storage.js';

const TTL = 60_000;

function storageAt(start = 1_000_000) {
  const clock = { now: start };
  const storage = new WindowCounterStorage(() => clock.now);
  const hit = (key = 'k', limit = 3) => storage.increment(key, TTL, limit, TTL, 'source');
  return { clock, storage, hit };
}

describe('WindowCounterStorage', () => {
  it('allows `limit` hits in a window and blocks the next with the time left', async () => {
    const { clock, hit } = storageAt();
    for (let i = 1; i <= 3; i += 1) {
      expect(await hit()).toMatchObject({ isBlocked: false, totalHits: i, timeToExpire: 60 });
    }
    clock.now += 10_000;
    expect(await hit()).toMatchObject({ isBlocked: true, totalHits: 4, timeToBlockExpire: 60 });
  });

  it('keeps refusing for the whole block, even once the window has moved on', async () => {
    const { clock, hit } = storageAt();
    await hit();
    await hit();
    await hit();
    await hit();
    clock.now += 59_500;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    clock.now += 500;
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('counts keys apart', async () => {
    const { hit } = storageAt();
    await hit('a', 1);
    expect((await hit('a', 1)).isBlocked).toBe(true);
    expect((await hit('b', 1)).isBlocked).toBe(false);
  });

  it('weights the previous window by the share the sliding window still covers', async () => {
    const { clock, hit } = storageAt();
    await hit('k', 4);
    await hit('k', 4);
    await hit('k', 4);
    // A quarter into the next window, three quarters of the 3 earlier hits still count.
    clock.now += TTL + TTL / 4;
    expect(await hit('k', 4)).toMatchObject({ isBlocked: false, totalHits: 4 });
    expect(await hit('k', 4)).toMatchObject({ isBlocked: true });
  });

  it('still weighs a burst at the start of the previous window (the approximation)', async () => {
    const { clock, hit } = storageAt();
    await hit();
    await hit();
    await hit();
    // The exact count one second into the next window is 0; the estimate is 3 × 59/60.
    clock.now += TTL + 1000;
    expect(await hit()).toMatchObject({ isBlocked: true });
  });

  it('forgets the previous window after two windows without hits', async () => {
    const { clock, hit } = storageAt();
    await hit('k', 2);
    await hit('k', 2);
    clock.now += 2 * TTL;
    expect(await hit('k', 2)).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('without a block duration refuses over the limit without counting the refusal', async () => {
    const { storage } = storageAt();
    await storage.increment('k', TTL, 1, 0, 'source');
    const refused = await storage.increment('k', TTL, 1, 0, 'source');
    expect(refused).toMatchObject({ isBlocked: true, totalHits: 2, timeToBlockExpire: 60 });
  });

  it('sweeps idle keys and keeps blocked ones', async () => {
    const { clock, storage, hit } = storageAt();
    await hit('idle', 1);
    await hit('blocked', 1);
    await storage.increment('blocked', TTL, 1, 10 * TTL, 'source');
    clock.now += 3 * TTL;
    await hit('fresh', 1);
    expect(storage.size).toBe(2);
    expect((await hit('blocked', 1)).isBlocked).toBe(true);
  });
});
