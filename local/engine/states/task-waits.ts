import { StatesError, StatesErrorNames } from '../errors.ts';
import type { Clock, PendingCallback } from '../ports.ts';

/** Rejects with the signal's reason when it aborts (never settles otherwise). */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** `work`, failed with `States.Timeout` if it takes longer than `timeoutSeconds` on the clock. */
export async function withTimeout<T>(
  work: Promise<T>,
  timeoutSeconds: number | undefined,
  clock: Clock,
  signal: AbortSignal,
): Promise<T> {
  if (timeoutSeconds === undefined) return work;
  const timer = clock.sleep(timeoutSeconds * 1000, signal).then(
    () => {
      throw new StatesError(StatesErrorNames.Timeout, `The task timed out after ${timeoutSeconds} seconds`);
    },
    () => new Promise<never>(() => {}),
  );
  return Promise.race([work, timer]);
}

/**
 * Waits for SendTaskSuccess / SendTaskFailure. With HeartbeatSeconds, each SendTaskHeartbeat
 * restarts the timer and a gap longer than it fails the task with `States.HeartbeatTimeout`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html, HeartbeatSeconds).
 */
export async function awaitCallback(
  pending: PendingCallback,
  heartbeatSeconds: number | undefined,
  clock: Clock,
  signal: AbortSignal,
): Promise<unknown> {
  const settled = Promise.race([pending.result, aborted(signal)]);
  if (heartbeatSeconds === undefined) return settled;
  // Ends the watch when the task settles, so no heartbeat timer outlives it.
  const done = new AbortController();
  const stop = AbortSignal.any([signal, done.signal]);
  const watch = async (): Promise<never> => {
    for (;;) {
      const gap = new AbortController();
      void pending.nextHeartbeat().then(() => gap.abort());
      try {
        await clock.sleep(heartbeatSeconds * 1000, AbortSignal.any([stop, gap.signal]));
      } catch {
        if (stop.aborted) return new Promise<never>(() => {});
        continue;
      }
      throw new StatesError(StatesErrorNames.HeartbeatTimeout, '');
    }
  };
  try {
    return await Promise.race([settled, watch()]);
  } finally {
    done.abort();
  }
}
