interface Kept<T> {
  entry: T;
  size: number;
  keys: readonly string[];
}

/**
 * Log entries in the order they came, indexed by keys (an execution ARN, its parent's), oldest
 * out first past a budget of text: what the local CloudWatch Logs stands in with, in memory (a
 * restart starts it empty).
 */
export class BoundedLog<T> {
  /** Every kept entry, oldest first (a Set drops its first entry in O(1)). */
  readonly #all = new Set<Kept<T>>();
  readonly #byKey = new Map<string, T[]>();
  readonly #budget: number;
  #size = 0;

  constructor(budget: number) {
    this.#budget = budget;
  }

  /** Keeps an entry of about `size` characters, found again by each of `keys`. */
  add(entry: T, size: number, keys: readonly string[]): void {
    this.#all.add({ entry, size, keys });
    this.#size += size;
    for (const key of keys) {
      const entries = this.#byKey.get(key);
      if (entries) entries.push(entry);
      else this.#byKey.set(key, [entry]);
    }
    while (this.#size > this.#budget && this.#all.size > 1) this.#dropOldest();
  }

  /** The entries kept under a key, oldest first. */
  byKey(key: string): readonly T[] {
    return this.#byKey.get(key) ?? [];
  }

  /** Every entry kept, oldest first. */
  *entries(): IterableIterator<T> {
    for (const kept of this.#all) yield kept.entry;
  }

  #dropOldest(): void {
    const oldest = this.#all.values().next().value!;
    this.#all.delete(oldest);
    this.#size -= oldest.size;
    for (const key of oldest.keys) {
      const entries = this.#byKey.get(key)!;
      entries.shift(); // the oldest of all is the oldest under each of its keys
      if (entries.length === 0) this.#byKey.delete(key);
    }
  }
}
