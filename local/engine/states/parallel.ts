import type { CompiledParallel } from '../compile/compiled-machine.ts';
import { StatesError } from '../errors.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { recordFinishedWork, takeFinishedWork } from '../redrive-reuse.ts';
import { childFrame, runMachine } from '../run-machine.ts';

/** Parallel: every branch gets the effective input; the result is their outputs in order. */
export async function runParallel(ctx: StateContext<CompiledParallel>): Promise<StateOutcome> {
  const { frame, state } = ctx;
  const input = await state.io.effectiveInput(ctx);
  const startedId = frame.history.emit('ParallelStateStarted', ctx.lastEventId);
  // A failed branch stops its siblings, as on AWS.
  const abort = new AbortController();
  const onAbort = () => abort.abort(frame.options.signal.reason);
  frame.options.signal.addEventListener('abort', onAbort, { once: true });
  // A redrive reruns only the branches that did not succeed.
  const finished: Record<number, unknown> = { ...takeFinishedWork(frame, ctx.name) };
  try {
    const outputs = await Promise.all(
      state.branches.map(async (branch, index) => {
        if (index in finished) return finished[index];
        const branchFrame = childFrame(
          { ...frame, options: { ...frame.options, signal: abort.signal } },
          branch,
        );
        try {
          const { output } = await runMachine(branchFrame, input, startedId);
          finished[index] = output;
          return output;
        } catch (error) {
          abort.abort(error);
          throw error;
        }
      }),
    );
    ctx.lastEventId = frame.history.emit('ParallelStateSucceeded', frame.history.lastId);
    return { output: await state.io.finish(ctx, outputs), next: state.next };
  } catch (error) {
    ctx.lastEventId = frame.history.emit('ParallelStateFailed', frame.history.lastId);
    const failure =
      error instanceof StatesError || !(abort.signal.reason instanceof StatesError)
        ? error
        : abort.signal.reason;
    recordFinishedWork(failure, { stateName: ctx.name, outputs: finished });
    throw failure;
  } finally {
    frame.options.signal.removeEventListener('abort', onAbort);
  }
}
