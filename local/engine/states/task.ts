import type { CompiledTask } from '../compile/compiled-machine.ts';
import { settled, StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { notTruncated } from '../history.ts';
import { serialisePayload } from '../limits.ts';
import type { PendingCallback } from '../ports.ts';
import { runActivityTask } from './activity-task.ts';
import { awaitCallback, withTimeout } from './task-waits.ts';

const lambdaArn = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:/;
const activityArn = /^arn:aws[\w-]*:states:[^:]*:[^:]*:activity:/;
const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';

/** `arn:aws:states:::sqs:sendMessage.sync` → `{ resourceType: 'sqs', resource: 'sendMessage.sync' }`. */
function describeResource(resource: string): { resourceType: string; resource: string; region: string } {
  const match = /^arn:aws[\w-]*:states:([^:]*):[^:]*:([^:]+):(.+)$/.exec(resource);
  if (match) return { resourceType: match[2]!, resource: match[3]!, region: match[1] || 'us-east-1' };
  return { resourceType: 'unknown', resource, region: 'us-east-1' };
}

function asStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StatesError(StatesErrorNames.TaskFailed, message);
}

/**
 * Task: an activity waits for a worker; any other resource goes to the task runner, a
 * `.waitForTaskToken` one then waiting for its callback. A mocked execution (`#TestCase`) takes
 * the mock's answer as the result, as Step Functions Local does.
 */
export async function runTask(ctx: StateContext<CompiledTask>): Promise<StateOutcome> {
  const { frame } = ctx;
  const { callbacks } = frame.options;
  const resource = ctx.state.source.Resource;
  const mocked = frame.execution.testCase !== undefined;
  if (!callbacks) return runTaskWith(ctx);
  if (activityArn.test(resource) && !mocked) return runActivityTask(ctx, callbacks);
  if (!resource.endsWith(WAIT_FOR_TASK_TOKEN)) return runTaskWith(ctx);
  // A mocked Task still has its `$$.Task.Token`; the mock's answer is its result.
  const pending = callbacks.issue({ executionArn: frame.execution.executionArn });
  ctx.taskToken = pending.token;
  try {
    return await runTaskWith(ctx, mocked ? undefined : pending);
  } finally {
    pending.close();
  }
}

/**
 * Hands the effective input to the task runner (with TimeoutSeconds enforced on the clock) and
 * records AWS's events — `LambdaFunction*` for a Lambda ARN, `Task*` for integrations, with
 * `TaskSubmitted` once a `.waitForTaskToken` request is sent (the callback pattern's events:
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token).
 */
async function runTaskWith(
  ctx: StateContext<CompiledTask>,
  pending?: PendingCallback,
): Promise<StateOutcome> {
  const { state: compiled, frame } = ctx;
  const state = compiled.source;
  const { history, options } = frame;
  const parameters = await compiled.io.effectiveInput(ctx);
  const timeoutSeconds = await compiled.timeoutSeconds(ctx);
  const heartbeatSeconds = await compiled.heartbeatSeconds(ctx);
  const parametersText = serialisePayload(parameters, 'task parameters');
  const isLambda = lambdaArn.test(state.Resource);
  const described = describeResource(state.Resource);
  const emit = (type: string, details?: Record<string, unknown>) => {
    ctx.lastEventId = history.emit(type, ctx.lastEventId, details);
  };
  const timeouts = timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {};
  if (isLambda) {
    emit('LambdaFunctionScheduled', {
      resource: state.Resource,
      input: parametersText,
      inputDetails: notTruncated,
      ...timeouts,
    });
    emit('LambdaFunctionStarted');
  } else {
    emit('TaskScheduled', {
      ...described,
      parameters: parametersText,
      ...timeouts,
      ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
    });
    emit('TaskStarted', { resourceType: described.resourceType, resource: described.resource });
  }
  const tag = { resourceType: described.resourceType, resource: described.resource };

  const abort = new AbortController();
  const onAbort = () => abort.abort(options.signal.reason);
  options.signal.addEventListener('abort', onAbort, { once: true });
  let result: unknown;
  let output: string;
  try {
    const request = {
      resource: pending ? state.Resource.slice(0, -WAIT_FOR_TASK_TOKEN.length) : state.Resource,
      parameters,
      context: {
        executionArn: frame.execution.executionArn,
        stateMachineArn: frame.execution.stateMachineArn,
        stateName: ctx.name,
        attempt: ctx.retryCount,
        ...(frame.execution.testCase ? { testCase: frame.execution.testCase } : {}),
      },
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
      signal: abort.signal,
      submitted: (submission: unknown) =>
        emit('TaskSubmitted', {
          ...tag,
          output: serialisePayload(submission, 'task submission'),
          outputDetails: notTruncated,
        }),
    };
    const run = pending
      ? (async () => {
          const submitted = await options.taskRunner.run(request);
          const text = serialisePayload(submitted, 'task result');
          emit('TaskSubmitted', { ...tag, output: text, outputDetails: notTruncated });
          return awaitCallback(pending, heartbeatSeconds, options.clock, abort.signal);
        })()
      : options.taskRunner.run(request);
    result = await withTimeout(run, timeoutSeconds, options.clock, abort.signal);
    // Inside the try: a result over the limit fails the task like any other task error.
    output = serialisePayload(result, 'task result');
  } catch (error) {
    const failure = asStatesError(error);
    if (options.signal.aborted) throw failure;
    const details = { error: failure.error, cause: failure.causeText ?? '' };
    const timedOut =
      failure.error === StatesErrorNames.Timeout || failure.error === StatesErrorNames.HeartbeatTimeout;
    if (isLambda) emit(timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', details);
    else emit(timedOut ? 'TaskTimedOut' : 'TaskFailed', { ...tag, ...details });
    throw failure;
  } finally {
    abort.abort(settled);
    options.signal.removeEventListener('abort', onAbort);
  }
  if (isLambda) emit('LambdaFunctionSucceeded', { output, outputDetails: notTruncated });
  else emit('TaskSucceeded', { ...tag, output, outputDetails: notTruncated });
  if (ctx.inspection) ctx.inspection.result = result;
  return { output: await compiled.io.finish(ctx, result), next: compiled.next };
}
