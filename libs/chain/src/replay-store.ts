import type { ReplayStore } from './lib/replay-store.js';
import { DEFAULT_REPLAY_STORE_MAX_ENTRIES } from './protocol/index.js';
import { systemEpochSeconds } from './lib/time.js';

export interface MemoryReplayStoreOptions {
  /** Upper bound on remembered keys; default 100 000 (a few MiB). */
  maxEntries?: number;
  /** Current time in integer epoch seconds. Default `Math.floor(Date.now() / 1000)`. */
  now?: () => number;
}

interface Entry {
  key: string;
  expiresAt: number;
}

/**
 * A bounded in-process {@link ReplayStore} for a single verifier process.
 *
 * Memory stays bounded under a flood of unique `jti`s: entries are kept in a min-heap by expiry,
 * expired ones are dropped on every call, and the store never holds more than `maxEntries`.
 * When it is full and nothing has expired it **fails closed**: `checkAndStore` answers `false`
 * for every new key, so new proofs are refused as replays (`ERR_DPOP_REPLAY`) until entries
 * expire. It never evicts an unexpired entry, because an evicted `jti` could be replayed.
 * {@link MemoryReplayStore.overflows} counts the refusals so operators can alert on them.
 *
 * Does not survive a restart and is not shared between replicas: a proof accepted by one
 * replica can be replayed once at another within its window. Use a shared store there.
 *
 * @example
 * const replayStore = new MemoryReplayStore({ maxEntries: 50_000 });
 * await verifyRequest(req, { trust, audience, replayStore });
 */
export class MemoryReplayStore implements ReplayStore {
  readonly maxEntries: number;
  private readonly now: () => number;
  private readonly expiries = new Map<string, number>();
  private readonly heap: Entry[] = [];
  private refused = 0;

  constructor(options: MemoryReplayStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_REPLAY_STORE_MAX_ENTRIES;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
    this.maxEntries = maxEntries;
    this.now = options.now ?? systemEpochSeconds;
  }

  /** Number of keys currently remembered. */
  get size(): number {
    return this.expiries.size;
  }

  /** Number of keys refused because the store was full. */
  get overflows(): number {
    return this.refused;
  }

  checkAndStore(key: string, expiresAt: number): Promise<boolean> {
    return Promise.resolve(this.checkAndStoreSync(key, expiresAt));
  }

  private checkAndStoreSync(key: string, expiresAt: number): boolean {
    if (typeof key !== 'string' || key.length === 0 || !Number.isFinite(expiresAt)) {
      return false;
    }
    const now = this.now();
    this.dropExpired(now);
    if (this.expiries.has(key)) {
      return false;
    }
    if (this.expiries.size >= this.maxEntries) {
      this.refused += 1;
      return false;
    }
    // An entry already past its expiry is still kept one second, so an immediate retry is caught.
    const until = Math.max(expiresAt, now + 1);
    this.expiries.set(key, until);
    push(this.heap, { key, expiresAt: until });
    return true;
  }

  private dropExpired(now: number): void {
    while (this.heap.length > 0 && this.heap[0].expiresAt <= now) {
      const entry = pop(this.heap)!;
      this.expiries.delete(entry.key);
    }
  }
}

function push(heap: Entry[], entry: Entry): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent].expiresAt <= heap[i].expiresAt) {
      break;
    }
    swap(heap, i, parent);
    i = parent;
  }
}

function pop(heap: Entry[]): Entry | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || last === undefined) {
    return top;
  }
  heap[0] = last;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < heap.length && heap[left].expiresAt < heap[smallest].expiresAt) {
      smallest = left;
    }
    if (right < heap.length && heap[right].expiresAt < heap[smallest].expiresAt) {
      smallest = right;
    }
    if (smallest === i) {
      return top;
    }
    swap(heap, i, smallest);
    i = smallest;
  }
}

function swap(heap: Entry[], a: number, b: number): void {
  const t = heap[a];
  heap[a] = heap[b]!;
  heap[b] = t;
}
