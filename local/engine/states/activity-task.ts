import type { CompiledTask } from '../compile/compiled-machine.ts';
import { settled, StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { notTruncated } from '../history.ts';
import { serialisePayload } from '../limits.ts';
import type { TaskCallbacks } from '../ports.ts';
import { awaitCallback, withTimeout } from './task-waits.ts';

const asStatesError = (error: unknown): StatesError =>
  error instanceof StatesError
    ? error
    : new StatesError(StatesErrorNames.TaskFailed, error instanceof Error ? error.message : String(error));

/**
 * A Task whose Resource is an activity ARN: queued for the activity's workers (GetActivityTask),
 * then waiting for their SendTaskSuccess / SendTaskFailure, with AWS's `Activity*` events
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html). TimeoutSeconds
 * counts from the scheduling; HeartbeatSeconds from when a worker takes the task.
 */
export async function runActivityTask(
  ctx: StateContext<CompiledTask>,
  callbacks: TaskCallbacks,
): Promise<StateOutcome> {
  const { state: compiled, frame } = ctx;
  const { history, options } = frame;
  const resource = compiled.source.Resource;
  const parameters = await compiled.io.effectiveInput(ctx);
  const timeoutSeconds = await compiled.timeoutSeconds(ctx);
  const heartbeatSeconds = await compiled.heartbeatSeconds(ctx);
  const input = serialisePayload(parameters, 'task parameters');
  const emit = (type: string, details?: Record<string, unknown>) => {
    ctx.lastEventId = history.emit(type, ctx.lastEventId, details);
  };
  emit('ActivityScheduled', {
    resource,
    input,
    inputDetails: notTruncated,
    ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
    ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
  });
  const pending = callbacks.issue({
    executionArn: frame.execution.executionArn,
    activity: { arn: resource, input },
  });
  const abort = new AbortController();
  const onAbort = () => abort.abort(options.signal.reason);
  options.signal.addEventListener('abort', onAbort, { once: true });
  let result: unknown;
  let output: string;
  try {
    const work = (async () => {
      const workerName = await pending.started;
      emit('ActivityStarted', workerName !== undefined ? { workerName } : undefined);
      return awaitCallback(pending, heartbeatSeconds, options.clock, abort.signal);
    })();
    result = await withTimeout(work, timeoutSeconds, options.clock, abort.signal);
    output = serialisePayload(result, 'task result');
  } catch (error) {
    const failure = asStatesError(error);
    if (options.signal.aborted) throw failure;
    const details = { error: failure.error, cause: failure.causeText ?? '' };
    const timedOut =
      failure.error === StatesErrorNames.Timeout || failure.error === StatesErrorNames.HeartbeatTimeout;
    emit(timedOut ? 'ActivityTimedOut' : 'ActivityFailed', details);
    throw failure;
  } finally {
    pending.close();
    abort.abort(settled);
    options.signal.removeEventListener('abort', onAbort);
  }
  emit('ActivitySucceeded', { output, outputDetails: notTruncated });
  if (ctx.inspection) ctx.inspection.result = result;
  return { output: await compiled.io.finish(ctx, result), next: compiled.next };
}
