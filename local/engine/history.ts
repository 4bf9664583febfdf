import { StatesError, StatesErrorNames } from './errors.ts';
import type { HistoryEvent } from './execution-types.ts';
import type { Clock } from './ports.ts';

/** The hard limit of AWS Step Functions on one execution's history. */
export const MAX_HISTORY_EVENTS = 25_000;

/**
 * Numbers and stamps history events as AWS does (ids from 1, `previousEventId` pointing at the
 * event that led to this one) and enforces the history limit.
 */
export class History {
  readonly #onEvent: (event: HistoryEvent) => void;
  readonly #clock: Clock;
  readonly #limit: number;
  #lastId: number;
  #lastTimestamp = new Date(0);

  constructor(
    onEvent: (event: HistoryEvent) => void,
    clock: Clock,
    lastEventId = 0,
    limit = MAX_HISTORY_EVENTS,
  ) {
    this.#onEvent = onEvent;
    this.#clock = clock;
    this.#lastId = lastEventId;
    this.#limit = limit;
  }

  get lastId(): number {
    return this.#lastId;
  }

  /** When the last event happened (a state's EnteredTime is its Entered event's). */
  get lastTimestamp(): Date {
    return this.#lastTimestamp;
  }

  /** Appends an event after `previousEventId`; returns its id. */
  emit(type: string, previousEventId: number, details?: Record<string, unknown>): number {
    if (this.#lastId >= this.#limit) {
      throw new StatesError(
        StatesErrorNames.Runtime,
        `The execution reached the maximum number of history events (${this.#limit}).`,
      );
    }
    const id = ++this.#lastId;
    const timestamp = (this.#lastTimestamp = this.#clock.now());
    const event: HistoryEvent = { id, previousEventId, timestamp, type };
    if (details) event[detailsKeyOf(type)] = details;
    this.#onEvent(event);
    return id;
  }
}

/** AWS's detail field for an event type: `TaskStateEntered` → `stateEnteredEventDetails`, … */
export function detailsKeyOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
}

/** `{ truncated: false }` details AWS puts beside every input and output. */
export const notTruncated = { truncated: false } as const;
