/**
 * The time an invocation would have taken on an environment of its own, when `capacity` threads
 * run every invocation in flight: while n > capacity are in flight, each advances at
 * capacity / n of real time. Lambda gives each invocation its own environment, so this (not the
 * wall time, stretched by waiting its turn on a busy machine) is the local stand-in for what
 * Lambda would bill. It assumes the functions are held back by the threads, not by what they wait
 * for (PostgreSQL), so it leans low when many wait on I/O at once.
 */
export class SharedTime {
  readonly #capacity: number;
  readonly #now: () => number;
  #inFlight = 0;
  /** Time as an invocation alone would have lived it, advanced at each start and end. */
  #virtual = 0;
  #lastChange: number;

  constructor(capacity: number, now: () => number = () => performance.now()) {
    this.#capacity = capacity;
    this.#now = now;
    this.#lastChange = now();
  }

  #advance(): number {
    const now = this.#now();
    const rate = this.#inFlight > this.#capacity ? this.#capacity / this.#inFlight : 1;
    this.#virtual += (now - this.#lastChange) * rate;
    this.#lastChange = now;
    return this.#virtual;
  }

  /** An invocation starts: returns what `end` needs. */
  start(): number {
    const at = this.#advance();
    this.#inFlight++;
    return at;
  }

  /** The invocation started at `startedAt` ends: returns its time alone, in ms. */
  end(startedAt: number): number {
    const at = this.#advance();
    this.#inFlight--;
    return at - startedAt;
  }
}
