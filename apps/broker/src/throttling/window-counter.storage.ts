import type { ThrottlerStorage } from '@nestjs/throttler';

/** What `ThrottlerGuard` needs back from a storage (`ThrottlerStorageRecord`, times in seconds). */
interface ThrottlerAnswer {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

interface WindowCounter {
  /** Start of the current window (ms); windows are `ttl` long, counted from the key's first hit. */
  windowStart: number;
  current: number;
  previous: number;
  /** While in the future, every hit is refused without being counted. */
  blockedUntil: number;
  /** From then on the record says nothing the absence of one would not: both windows are over. */
  idleAfter: number;
}

/** How often idle keys are swept, at most (on the next hit, without a timer). */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * `@nestjs/throttler` storage with constant work and memory per key: a sliding-window counter,
 * i.e. the hits of the current window plus the previous window's hits weighted by the share of
 * it the sliding window still covers. The default storage keeps one timestamp per hit and
 * filters the whole array on every request, so its cost per request and its memory grow with
 * rate × window (3–5% of the broker's CPU under load, more with the limits lifted).
 *
 * Behaviour kept from the default: the hit that takes a key over `limit` is refused and blocks
 * the key for `blockDuration` (the guard passes the window when none is configured); blocked
 * hits are not counted; when the block ends the key starts afresh. The estimate equals the exact
 * count within the key's first window and assumes an even spread of the previous window's hits
 * after it: a burst at the start of one window still weighs on the start of the next (refused
 * where the exact count would not be), and one at its end weighs less than it should.
 */
export class WindowCounterStorage implements ThrottlerStorage {
  private readonly counters = new Map<string, WindowCounter>();
  private nextSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.nextSweep = now() + SWEEP_INTERVAL_MS;
  }

  /** Keys held (tests and diagnostics). */
  get size(): number {
    return this.counters.size;
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    _throttlerName: string,
  ): Promise<ThrottlerAnswer> {
    const now = this.now();
    this.sweepIfDue(now);
    return Promise.resolve(this.hit(this.counterOf(key, now, ttl), now, ttl, limit, blockDuration));
  }

  private hit(
    counter: WindowCounter,
    now: number,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): ThrottlerAnswer {
    if (counter.blockedUntil > now) {
      return refused(counter, now, ttl, estimate(counter, now, ttl), counter.blockedUntil);
    }
    if (counter.blockedUntil !== 0) {
      restart(counter, now);
    }
    const before = estimate(counter, now, ttl);
    if (blockDuration <= 0 && before >= limit) {
      // Without a block the refused hit is not counted; it may retry when this window ends.
      return refused(counter, now, ttl, before + 1, counter.windowStart + ttl);
    }
    counter.current += 1;
    counter.idleAfter = Math.max(counter.idleAfter, counter.windowStart + 2 * ttl);
    if (before + 1 > limit) {
      counter.blockedUntil = now + blockDuration;
      counter.idleAfter = Math.max(counter.idleAfter, counter.blockedUntil);
      return refused(counter, now, ttl, before + 1, counter.blockedUntil);
    }
    return {
      totalHits: Math.ceil(before + 1),
      timeToExpire: secondsUntil(counter.windowStart + ttl, now),
      isBlocked: false,
      timeToBlockExpire: 0,
    };
  }

  /** The key's counter with its windows moved up to `now`. */
  private counterOf(key: string, now: number, ttl: number): WindowCounter {
    const counter = this.counters.get(key);
    if (counter === undefined) {
      const created = { windowStart: now, current: 0, previous: 0, blockedUntil: 0, idleAfter: 0 };
      this.counters.set(key, created);
      return created;
    }
    const windows = Math.floor((now - counter.windowStart) / ttl);
    if (windows > 0) {
      counter.previous = windows === 1 ? counter.current : 0;
      counter.current = 0;
      counter.windowStart += windows * ttl;
    }
    return counter;
  }

  private sweepIfDue(now: number): void {
    if (now < this.nextSweep) {
      return;
    }
    this.nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [key, counter] of this.counters) {
      if (counter.idleAfter <= now) {
        this.counters.delete(key);
      }
    }
  }
}

/** Hits in the sliding window ending now (the one being counted not included). */
function estimate(counter: WindowCounter, now: number, ttl: number): number {
  const covered = 1 - (now - counter.windowStart) / ttl;
  return counter.current + counter.previous * covered;
}

function restart(counter: WindowCounter, now: number): void {
  counter.windowStart = now;
  counter.current = 0;
  counter.previous = 0;
  counter.blockedUntil = 0;
}

function refused(
  counter: WindowCounter,
  now: number,
  ttl: number,
  hits: number,
  retryAt: number,
): ThrottlerAnswer {
  return {
    totalHits: Math.ceil(hits),
    timeToExpire: secondsUntil(counter.windowStart + ttl, now),
    isBlocked: true,
    timeToBlockExpire: secondsUntil(retryAt, now),
  };
}

function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}
