import type { StoredEvent } from './history-lines.ts';

/** Histories kept parsed, counted by the length of their text: a few long ones, many short ones. */
const DEFAULT_BUDGET = 32 * 2 ** 20;

interface Entry {
  events: readonly StoredEvent[];
  size: number;
}

/** A read in flight: an append while it reads makes what it read too old to keep. */
interface Read {
  current: boolean;
}

/**
 * Parsed histories, least recently used first out, within a budget: GetExecutionHistory pages a
 * history of 25,000 events in 25 calls, and each one parsing the whole file again made opening
 * it quadratic. Whoever appends to a history calls `invalidate` first, so an entry is always the
 * whole history; a history longer than the budget is never kept.
 */
export class HistoryCache {
  readonly #entries = new Map<string, Entry>();
  readonly #reading = new Map<string, Set<Read>>();
  readonly #budget: number;
  #size = 0;

  constructor(budget = DEFAULT_BUDGET) {
    this.#budget = budget;
  }

  /** The kept history of `arn`, or what `load` reads (its events and the length of their text). */
  async read(
    arn: string,
    load: () => Promise<{ events: StoredEvent[]; size: number }>,
  ): Promise<readonly StoredEvent[]> {
    const kept = this.#entries.get(arn);
    if (kept) {
      // Map keeps insertion order: taken out and put back, it is the most recently used.
      this.#entries.delete(arn);
      this.#entries.set(arn, kept);
      return kept.events;
    }
    const read: Read = { current: true };
    const reads = this.#reading.get(arn) ?? new Set<Read>();
    this.#reading.set(arn, reads.add(read));
    try {
      const { events, size } = await load();
      if (read.current) this.#keep(arn, { events, size });
      return events;
    } finally {
      reads.delete(read);
      if (reads.size === 0) this.#reading.delete(arn);
    }
  }

  /** The history of `arn` is about to change: forget it, and what reads in flight will bring. */
  invalidate(arn: string): void {
    this.#drop(arn);
    for (const read of this.#reading.get(arn) ?? []) read.current = false;
  }

  #keep(arn: string, entry: Entry): void {
    this.#drop(arn);
    if (entry.size > this.#budget) return;
    this.#entries.set(arn, entry);
    this.#size += entry.size;
    for (const oldest of this.#entries.keys()) {
      if (this.#size <= this.#budget) break;
      this.#drop(oldest);
    }
  }

  #drop(arn: string): void {
    const entry = this.#entries.get(arn);
    if (!entry) return;
    this.#entries.delete(arn);
    this.#size -= entry.size;
  }
}
