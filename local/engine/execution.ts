import type { CompiledMachine } from './compile/compiled-machine.ts';
import { settled, StatesError, StatesErrorNames } from './errors.ts';
import type { ExecutionResult, RunOptions } from './execution-types.ts';
import { executionInput, type Frame } from './frame.ts';
import { History, notTruncated } from './history.ts';
import { serialisePayload } from './limits.ts';
import { finishedWorkOf } from './redrive-reuse.ts';
import { runMachine } from './run-machine.ts';

/** The state machine's own TimeoutSeconds ran out: TIMED_OUT, not FAILED. */
class ExecutionTimeout extends StatesError {}

function timeoutOf(
  machine: CompiledMachine,
  options: RunOptions,
  abort: AbortController,
): Promise<never> | undefined {
  if (!machine.timeoutSeconds) return undefined;
  return options.clock.sleep(machine.timeoutSeconds * 1000, abort.signal).then(
    () => {
      throw new ExecutionTimeout(StatesErrorNames.Timeout);
    },
    () => new Promise<never>(() => {}),
  );
}

/**
 * Runs one execution of a compiled definition to its end, emitting AWS's history events as it goes.
 * Resolves with the outcome; it never rejects for a failure of the workflow itself.
 */
export async function runExecution(
  machine: CompiledMachine,
  input: unknown,
  options: RunOptions,
): Promise<ExecutionResult> {
  const history = new History(options.onEvent, options.clock, options.lastEventId ?? 0, options.historyLimit);
  executionInput.set(history, input);
  const abort = new AbortController();
  const onAbort = () => abort.abort(options.signal.reason);
  options.signal.addEventListener('abort', onAbort, { once: true });
  const frame: Frame = {
    machine,
    history,
    options: { ...options, signal: abort.signal },
    execution: options.context,
    variables: { ...options.startAt?.variables },
    ...(options.startAt?.finished
      ? { redriveReuse: { stateName: options.startAt.stateName, outputs: options.startAt.finished } }
      : {}),
  };
  let startedId: number;
  if (options.startAt) {
    startedId = history.emit('ExecutionRedriven', history.lastId, {
      redriveCount: options.context.redriveCount,
    });
  } else {
    startedId = history.emit('ExecutionStarted', 0, {
      input: serialisePayload(input, 'execution input'),
      inputDetails: notTruncated,
      roleArn: options.context.roleArn,
    });
  }
  try {
    const run = runMachine(frame, options.startAt?.input ?? input, startedId, options.startAt?.stateName);
    const timeout = timeoutOf(machine, options, abort);
    const { output } = await (timeout ? Promise.race([run, timeout]) : run);
    history.emit('ExecutionSucceeded', history.lastId, {
      output: serialisePayload(output, 'execution output'),
      outputDetails: notTruncated,
    });
    return { status: 'SUCCEEDED', output };
  } catch (thrown) {
    if (options.signal.aborted) {
      const reason = options.signal.reason as { error?: string; cause?: string } | undefined;
      const details = {
        ...(reason?.error ? { error: reason.error } : {}),
        ...(reason?.cause ? { cause: reason.cause } : {}),
      };
      history.emit('ExecutionAborted', history.lastId, details);
      return { status: 'ABORTED', ...details };
    }
    const failure =
      thrown instanceof StatesError
        ? thrown
        : new StatesError(StatesErrorNames.Runtime, (thrown as Error).message);
    const timedOut = thrown instanceof ExecutionTimeout;
    // AWS reports no error for a timed-out execution, and none a Fail state did not give.
    const details = timedOut
      ? {}
      : {
          ...(failure.errorOmitted ? {} : { error: failure.error }),
          ...(failure.causeText !== undefined ? { cause: failure.causeText } : {}),
        };
    try {
      history.emit(timedOut ? 'ExecutionTimedOut' : 'ExecutionFailed', history.lastId, details);
    } catch {
      // Past the history limit: the failure is still reported through the result.
    }
    const finished = finishedWorkOf(thrown);
    return { status: timedOut ? 'TIMED_OUT' : 'FAILED', ...details, ...(finished ? { finished } : {}) };
  } finally {
    abort.abort(settled);
    options.signal.removeEventListener('abort', onAbort);
  }
}
