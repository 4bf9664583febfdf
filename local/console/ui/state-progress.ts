import type { ExecutionStatus, HistoryEvent } from './sfn-types.ts';

/** What happened to a state, as the graph and the states table say it (never colour alone). */
export type StateStatus =
  'succeeded' | 'failed' | 'caught' | 'retried' | 'running' | 'aborted' | 'not reached';

/** One time a state was entered: its events, input, output and the error it met. */
export interface StateEntry {
  name: string;
  type: string;
  enteredEventId: number;
  /** The entry of the Parallel or Map state this one ran inside, if any. */
  parentEntryId: number | undefined;
  startDate: number;
  stopDate?: number;
  input?: string;
  output?: string;
  /** A Task's effective parameters as scheduled (its last attempt's). */
  parameters?: string;
  /** A Task's result before ResultSelector and ResultPath. */
  result?: string;
  attempts: number;
  failures: number;
  /** The last attempt failed (so an exit after it went through a Catch). */
  lastAttemptFailed: boolean;
  error?: string;
  cause?: string;
  status: StateStatus;
}

/** Every state of a definition that ran, by name, with its entries in order. */
export interface StateProgress {
  entries: StateEntry[];
  byName: Map<string, { status: StateStatus; entries: StateEntry[]; retries: number }>;
}

const isEntered = (e: HistoryEvent) => e.type.endsWith('StateEntered');
const isExited = (e: HistoryEvent) => e.type.endsWith('StateExited');
const isFailure = (e: HistoryEvent) =>
  !e.type.startsWith('Execution') && /(Failed|TimedOut|Aborted)$/.test(e.type);
const isSuccess = (e: HistoryEvent) =>
  !e.type.startsWith('Execution') && e.type !== 'MapIterationSucceeded' && e.type.endsWith('Succeeded');

function detailsOf(event: HistoryEvent): Record<string, unknown> {
  const key = Object.keys(event).find((k) => k.endsWith('EventDetails'));
  return ((key ? event[key] : undefined) as Record<string, unknown> | undefined) ?? {};
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

// The type of state an event can only belong to (a MapIterationSucceeded to a Map, …).
function ownerTypeOf(type: string): string | undefined {
  if (type.endsWith('StateExited')) return type.slice(0, -'StateExited'.length);
  if (/^Map(Iteration|State|Run)/.test(type)) return 'Map';
  if (type.startsWith('ParallelState')) return 'Parallel';
  if (/^(Task|LambdaFunction|Activity)/.test(type)) return 'Task';
  return undefined;
}

/**
 * Reads a history into what each state did. An event belongs to the state entered before it in
 * its `previousEventId` chain, skipping over states that had already exited (so the events of a
 * Parallel branch or a Map iteration are told apart from those of the Parallel or Map itself):
 * the owner of an event after an Exited event is the parent of the state that exited. Where
 * concurrent branches make `previousEventId` point into a sibling (a MapIterationSucceeded after
 * another branch's last event), the event's type and state name pick the open entry it belongs to.
 */
export function readStateProgress(
  events: readonly HistoryEvent[],
  executionStatus: ExecutionStatus,
): StateProgress {
  const byId = new Map<number, HistoryEvent>();
  const owner = new Map<number, number | undefined>();
  const entries = new Map<number, StateEntry>();
  const scopeAfter = (previousId: number | undefined): number | undefined => {
    const previous = previousId === undefined ? undefined : byId.get(previousId);
    if (!previous) return undefined;
    if (isEntered(previous)) return previous.id;
    if (isExited(previous)) {
      const exitedEntry = owner.get(previous.id);
      return exitedEntry === undefined ? undefined : entries.get(exitedEntry)?.parentEntryId;
    }
    return owner.get(previous.id);
  };

  const open: StateEntry[] = [];
  const belongs = (entry: StateEntry, type: string | undefined, name: string | undefined) =>
    entry.stopDate === undefined && (!type || entry.type === type) && (!name || entry.name === name);
  const ownerEntry = (
    event: HistoryEvent,
    candidate: number | undefined,
    details: Record<string, unknown>,
  ) => {
    const type = ownerTypeOf(event.type);
    const name = isExited(event) ? text(details.name) : undefined;
    for (let id = candidate; id !== undefined; id = entries.get(id)?.parentEntryId) {
      const entry = entries.get(id);
      if (entry && belongs(entry, type, name)) return entry;
    }
    if (!type) return candidate === undefined ? undefined : entries.get(candidate);
    return open.findLast((entry) => belongs(entry, type, name));
  };

  for (const event of events) {
    byId.set(event.id, event);
    const details = detailsOf(event);
    if (isEntered(event)) {
      owner.set(event.id, event.id);
      const entry: StateEntry = {
        name: String(details.name),
        type: event.type.slice(0, -'StateEntered'.length),
        enteredEventId: event.id,
        parentEntryId: scopeAfter(event.previousEventId),
        startDate: event.timestamp,
        input: text(details.input),
        attempts: 0,
        failures: 0,
        lastAttemptFailed: false,
        status: 'running',
      };
      entries.set(event.id, entry);
      open.push(entry);
      continue;
    }
    const entry = ownerEntry(event, scopeAfter(event.previousEventId), details);
    owner.set(event.id, entry?.enteredEventId);
    if (!entry) continue;
    if (isExited(event)) {
      entry.stopDate = event.timestamp;
      entry.output = text(details.output);
      entry.status = entry.lastAttemptFailed ? 'caught' : entry.failures > 0 ? 'retried' : 'succeeded';
      open.splice(open.lastIndexOf(entry), 1);
    } else if (event.type.endsWith('Scheduled')) {
      entry.attempts++;
      // TaskScheduled has `parameters`; LambdaFunctionScheduled and ActivityScheduled `input`.
      entry.parameters = text(details.parameters) ?? text(details.input) ?? entry.parameters;
    } else if (isFailure(event)) {
      entry.failures++;
      entry.lastAttemptFailed = true;
      entry.error = text(details.error) ?? entry.error;
      entry.cause = text(details.cause) ?? entry.cause;
    } else if (isSuccess(event)) {
      entry.lastAttemptFailed = false;
      if (ownerTypeOf(event.type) === 'Task') entry.result = text(details.output);
    }
  }

  const ended: StateStatus | undefined =
    executionStatus === 'RUNNING' ? undefined : executionStatus === 'ABORTED' ? 'aborted' : 'failed';
  const byName = new Map<string, { status: StateStatus; entries: StateEntry[]; retries: number }>();
  for (const entry of entries.values()) {
    // A state still open when the execution ended stopped there: it failed, or was aborted.
    if (entry.stopDate === undefined && ended) entry.status = entry.failures > 0 ? 'failed' : ended;
    const state = byName.get(entry.name) ?? { status: entry.status, entries: [], retries: 0 };
    state.entries.push(entry);
    state.retries += Math.max(0, entry.attempts - 1);
    // The latest entry tells (a redriven Map that now succeeded is succeeded), but one still
    // running anywhere (a Map iteration, a Parallel branch) makes the state running.
    state.status = state.status === 'running' && !ended ? 'running' : entry.status;
    byName.set(entry.name, state);
  }
  return { entries: [...entries.values()], byName };
}
