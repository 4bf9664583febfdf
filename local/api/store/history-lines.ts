import type { HistoryEvent } from '../../engine/execution-types.ts';

/** A history event as stored and served: the timestamp in epoch seconds, as AWS JSON carries it. */
export interface StoredEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/**
 * Where an earlier copy of a payload is: `[event id, details field]`, and, when the payload is
 * only part of that copy or wraps it, which part (`slice`) or what stands around it (`around`).
 */
type SameAs = { $sameAs: [number, string]; slice?: [number, number]; around?: [string, string] };

const payloadFields = ['input', 'output', 'parameters'] as const;
/** Payloads shorter than this are written as they are: a reference would save little. */
const MIN_SHARED_LENGTH = 512;
/** Payloads remembered per history; past this the table starts again (a long-running parent). */
const MAX_REMEMBERED = 1_000;
/** How many of the latest payloads a new one is searched in, or for. */
const RECENT = 3;

type Copy = { text: string; at: [number, string] };

/**
 * Writes one execution's history as JSON lines, each payload once. A batch passes through a
 * state as its input, the task's parameters (the batch inside a wrapper), the task's result (the
 * stage's output inside the Lambda wrapper) and the state's output (that output again): each later
 * copy is written as a reference to the earlier one, with the slice it is or the text around it,
 * so a batch is escaped once instead of four times. `readHistoryLines` puts the payloads back,
 * so readers see AWS's events unchanged.
 */
export class HistoryWriter {
  readonly #seen = new Map<string, [number, string]>();
  readonly #recent: Copy[] = [];

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
      const reference = this.#find(text);
      if (reference) {
        shared ??= { ...details };
        shared[field] = reference;
      } else {
        this.#remember(text, [eventId, field]);
      }
    }
    return shared ?? details;
  }

  #find(text: string): SameAs | undefined {
    const same = this.#seen.get(text);
    if (same) return { $sameAs: same };
    for (const copy of this.#recent) {
      if (copy.text.length > text.length) {
        const start = copy.text.indexOf(text);
        if (start !== -1) return { $sameAs: copy.at, slice: [start, start + text.length] };
      } else {
        const start = text.indexOf(copy.text);
        if (start !== -1)
          return {
            $sameAs: copy.at,
            around: [text.slice(0, start), text.slice(start + copy.text.length)],
          };
      }
    }
    return undefined;
  }

  #remember(text: string, at: [number, string]): void {
    if (this.#seen.size >= MAX_REMEMBERED) this.#seen.clear();
    this.#seen.set(text, at);
    this.#recent.unshift({ text, at });
    this.#recent.length = Math.min(this.#recent.length, RECENT);
  }
}

/**
 * Parses a history file's lines, putting shared payloads back in place. A line cut short (the
 * process killed mid-append, a write that failed part-way) is skipped: the events before it
 * still make a history a redrive can start from.
 */
export function readHistoryLines(text: string): StoredEvent[] {
  const events: StoredEvent[] = [];
  const byId = new Map<number, StoredEvent>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let event: StoredEvent;
    try {
      event = JSON.parse(line) as StoredEvent;
    } catch {
      continue;
    }
    for (const [key, value] of Object.entries(event)) {
      if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') continue;
      const details = value as Record<string, unknown>;
      for (const field of payloadFields) {
        const reference = details[field] as SameAs | undefined;
        if (!reference?.$sameAs) continue;
        const [id, from] = reference.$sameAs;
        const source = Object.entries(byId.get(id) ?? {}).find(([k]) => k.endsWith('EventDetails'));
        const copy = (source?.[1] as Record<string, string> | undefined)?.[from] ?? '';
        details[field] = reference.slice
          ? copy.slice(...reference.slice)
          : reference.around
            ? `${reference.around[0]}${copy}${reference.around[1]}`
            : copy;
      }
    }
    byId.set(event.id, event);
    events.push(event);
  }
  return events;
}
