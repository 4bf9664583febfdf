import type { CompiledTask } from '../compile/compiled-machine.ts';
import { settled, StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { notTruncated } from '../history.ts';
import { serialisePayload } from '../limits.ts';

const lambdaArn = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:/;

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
 * Task: hands the effective input to the task runner (with TimeoutSeconds enforced on the clock)
 * and records AWS's events — `LambdaFunction*` for a Lambda ARN, `Task*` for integrations.
 */
export async function runTask(ctx: StateContext<CompiledTask>): Promise<StateOutcome> {
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
    const run = options.taskRunner.run({
      resource: state.Resource,
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
      submitted: (submission) =>
        emit('TaskSubmitted', {
          ...tag,
          output: serialisePayload(submission, 'task submission'),
          outputDetails: notTruncated,
        }),
    });
    if (timeoutSeconds === undefined) result = await run;
    else {
      const timer = options.clock.sleep(timeoutSeconds * 1000, abort.signal).then(
        () => {
          throw new StatesError(
            StatesErrorNames.Timeout,
            `The task timed out after ${timeoutSeconds} seconds`,
          );
        },
        () => new Promise<never>(() => {}),
      );
      result = await Promise.race([run, timer]);
    }
    // Inside the try: a result over the limit fails the task like any other task error.
    output = serialisePayload(result, 'task result');
  } catch (error) {
    const failure = asStatesError(error);
    if (options.signal.aborted) throw failure;
    const details = { error: failure.error, cause: failure.causeText ?? '' };
    const timedOut = failure.error === StatesErrorNames.Timeout;
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
