import type { StatesError } from './errors.ts';
import { StatesErrorNames } from './errors.ts';

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

/**
 * Whether an `ErrorEquals` list matches an error. `States.ALL` matches everything but the
 * uncatchable `States.Runtime` and `States.DataLimitExceeded`; `States.TaskFailed` matches any
 * error of a Task except `States.Timeout`.
 */
export function errorMatches(errorEquals: readonly string[], error: StatesError, inTask: boolean): boolean {
  return errorEquals.some((name) => {
    if (name === error.error) return true;
    if (name === StatesErrorNames.ALL) return error.catchableByAll;
    if (name === StatesErrorNames.TaskFailed) {
      return inTask && error.catchableByAll && error.error !== StatesErrorNames.Timeout;
    }
    return false;
  });
}

export type RetryDecision = { retry: true; retrier: number; delayMs: number } | { retry: false };

/**
 * The first retrier matching the error decides: retry after its backoff while its own attempt
 * counter is under MaxAttempts (counters are per retrier, kept by the caller).
 */
export function decideRetry(
  retriers: readonly Retrier[],
  counters: number[],
  error: StatesError,
  inTask: boolean,
  random: () => number = Math.random,
): RetryDecision {
  const index = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error, inTask));
  if (index < 0) return { retry: false };
  const retrier = retriers[index]!;
  const attempts = counters[index] ?? 0;
  if (attempts >= (retrier.MaxAttempts ?? 3)) return { retry: false };
  let delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempts;
  if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') delay = random() * delay;
  return { retry: true, retrier: index, delayMs: Math.round(delay * 1000) };
}

/** The first catcher matching the error, if any. */
export function findCatcher<C extends { errorEquals: readonly string[] }>(
  catchers: readonly C[],
  error: StatesError,
  inTask: boolean,
): C | undefined {
  return catchers.find((c) => errorMatches(c.errorEquals, error, inTask));
}
