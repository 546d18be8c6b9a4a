import { SerialDrain } from './serial-drain.js';

interface Waiter<V> {
  readonly resolve: (value: V | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/** Keys per query: bounds the statement's bound parameters. */
const MAX_KEYS = 256;

/**
 * Coalesces point lookups by key into one `WHERE key IN (…)` query: the keys asked for while a
 * query runs are fetched together by the next one. Under load a request's lookup costs a share
 * of one statement instead of a statement (and, on SQLite, a turn on the one connection) of its
 * own; a lone lookup runs at once.
 */
export class BatchedLookup<V> {
  private waiting = new Map<string, Waiter<V>[]>();
  private readonly queries = new SerialDrain(
    () => this.waiting.size > 0,
    () => this.answer(this.takeBatch()),
  );

  constructor(private readonly fetch: (keys: string[]) => Promise<Map<string, V>>) {}

  get(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters === undefined) {
        this.waiting.set(key, [{ resolve, reject }]);
      } else {
        waiters.push({ resolve, reject });
      }
      this.queries.kick();
    });
  }

  private takeBatch(): [string, Waiter<V>[]][] {
    const batch = [...this.waiting.entries()].slice(0, MAX_KEYS);
    for (const [key] of batch) {
      this.waiting.delete(key);
    }
    return batch;
  }

  private async answer(batch: readonly [string, Waiter<V>[]][]): Promise<void> {
    let found: Map<string, V>;
    try {
      found = await this.fetch(batch.map(([key]) => key));
    } catch (error) {
      batch.forEach(([, waiters]) => waiters.forEach((waiter) => waiter.reject(error)));
      return;
    }
    batch.forEach(([key, waiters]) => waiters.forEach((waiter) => waiter.resolve(found.get(key))));
  }
}
