interface Entry<V> {
  value: V;
  /** The map's write count when the entry was last placed at the recent end. */
  placed: number;
}

/**
 * A Map that forgets its least recently used entries beyond `maxEntries` (insertion order =
 * recency), approximately: a read moves its entry to the recent end only once `maxEntries / 2`
 * writes or moves have happened since the entry was last placed there. So an entry read at least
 * that often is never forgotten (it leaves only after `maxEntries` newer placements), and a hot
 * entry costs a lookup, not a delete and an insert, on most reads.
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, Entry<V>>();
  readonly #moveAfter: number;
  #placements = 0;

  constructor(private readonly maxEntries: number) {
    this.#moveAfter = maxEntries / 2;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && this.#placements - entry.placed >= this.#moveAfter) {
      this.#entries.delete(key);
      this.#place(key, entry);
    }
    return entry?.value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#place(key, { value, placed: 0 });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as K;
      this.#entries.delete(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
  }

  #place(key: K, entry: Entry<V>): void {
    this.#placements += 1;
    entry.placed = this.#placements;
    this.#entries.set(key, entry);
  }
}
