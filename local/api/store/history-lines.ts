import type { HistoryEvent } from '../../engine/execution-types.ts';

/** A history event as stored and served: the timestamp in epoch seconds, as AWS JSON carries it. */
export interface StoredEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** Where an earlier copy of a payload is: `[event id, details field]`. */
type SameAs = { $sameAs: [number, string] };

const payloadFields = ['input', 'output', 'parameters'] as const;
/** Payloads shorter than this are written as they are: a reference would save little. */
const MIN_SHARED_LENGTH = 512;
/** Payloads remembered per history; past this the table starts again (a long-running parent). */
const MAX_REMEMBERED = 1_000;

/**
 * Writes one execution's history as JSON lines, each payload once. A batch passes through a
 * state as its input, the task's parameters, the task's output and the state's output: the
 * later copies are written as `{"$sameAs": [eventId, field]}`, a quarter of the bytes and of the
 * escaping. `readHistoryLines` puts the payloads back, so readers see AWS's events unchanged.
 */
export class HistoryWriter {
  readonly #seen = new Map<string, [number, string]>();

  line(event: HistoryEvent): string {
    const stored: StoredEvent = { ...event, timestamp: event.timestamp.getTime() / 1000 };
    for (const [key, value] of Object.entries(stored)) {
      if (key.endsWith('EventDetails') && value && typeof value === 'object')
        stored[key] = this.#share(event.id, value as Record<string, unknown>);
    }
    return `${JSON.stringify(stored)}\n`;
  }

  #share(eventId: number, details: Record<string, unknown>): Record<string, unknown> {
    let shared: Record<string, unknown> | undefined;
    for (const field of payloadFields) {
      const text = details[field];
      if (typeof text !== 'string' || text.length < MIN_SHARED_LENGTH) continue;
      const earlier = this.#seen.get(text);
      if (earlier) {
        shared ??= { ...details };
        shared[field] = { $sameAs: earlier } satisfies SameAs;
      } else {
        if (this.#seen.size >= MAX_REMEMBERED) this.#seen.clear();
        this.#seen.set(text, [eventId, field]);
      }
    }
    return shared ?? details;
  }
}

/** Parses a history file's lines, putting shared payloads back in place. */
export function readHistoryLines(text: string): StoredEvent[] {
  const events: StoredEvent[] = [];
  const byId = new Map<number, StoredEvent>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const event = JSON.parse(line) as StoredEvent;
    for (const [key, value] of Object.entries(event)) {
      if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') continue;
      const details = value as Record<string, unknown>;
      for (const field of payloadFields) {
        const ref = (details[field] as SameAs | undefined)?.$sameAs;
        if (!ref) continue;
        const [id, from] = ref;
        const source = Object.entries(byId.get(id) ?? {}).find(([k]) => k.endsWith('EventDetails'));
        details[field] = (source?.[1] as Record<string, unknown> | undefined)?.[from];
      }
    }
    byId.set(event.id, event);
    events.push(event);
  }
  return events;
}
