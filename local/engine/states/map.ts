import type { CompiledMap } from '../compile/compiled-machine.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { recordFinishedWork, takeFinishedWork } from '../redrive-reuse.ts';
import { childFrame, runMachine } from '../run-machine.ts';
import { runDistributedMap } from './distributed-map.ts';

/** AWS runs at most 40 iterations of an inline Map at once, whatever MaxConcurrency says. */
export const INLINE_MAP_CONCURRENCY = 40;

async function runInline(ctx: StateContext<CompiledMap>): Promise<unknown[]> {
  const { frame, state, name } = ctx;
  const items = await state.items(ctx);
  const requested = (await state.maxConcurrency(ctx)) ?? 0;
  const limit = Math.min(requested > 0 ? requested : INLINE_MAP_CONCURRENCY, INLINE_MAP_CONCURRENCY);
  const startedId = frame.history.emit('MapStateStarted', ctx.lastEventId, { length: items.length });
  const abort = new AbortController();
  const onAbort = () => abort.abort(frame.options.signal.reason);
  frame.options.signal.addEventListener('abort', onAbort, { once: true });
  const outputs: unknown[] = new Array(items.length);
  const reused = takeFinishedWork(frame, name) ?? {};
  const succeeded = new Set<number>();
  for (const [index, output] of Object.entries(reused)) {
    outputs[Number(index)] = output;
    succeeded.add(Number(index));
  }
  // A redrive reruns only the iterations that did not succeed.
  const pending = items.map((_, index) => index).filter((index) => !succeeded.has(index));
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < pending.length && failure === undefined) {
      const index = pending[next++]!;
      const iteration = { name, index };
      const iterationStarted = frame.history.emit('MapIterationStarted', startedId, iteration);
      try {
        const input = await state.selectItem(ctx, items[index], index);
        const iterationFrame = childFrame(
          { ...frame, options: { ...frame.options, signal: abort.signal } },
          state.processor,
          {
            Index: index,
            Value: items[index],
          },
        );
        outputs[index] = (await runMachine(iterationFrame, input, iterationStarted)).output;
        succeeded.add(index);
        frame.history.emit('MapIterationSucceeded', frame.history.lastId, iteration);
      } catch (error) {
        if (failure === undefined) {
          failure = error;
          frame.history.emit('MapIterationFailed', frame.history.lastId, iteration);
          abort.abort(error);
        } else {
          frame.history.emit('MapIterationAborted', frame.history.lastId, iteration);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, pending.length) }, worker));
  } finally {
    frame.options.signal.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) {
    ctx.lastEventId = frame.history.emit('MapStateFailed', frame.history.lastId);
    recordFinishedWork(failure, {
      stateName: name,
      outputs: Object.fromEntries([...succeeded].map((index) => [index, outputs[index]])),
    });
    throw failure;
  }
  ctx.lastEventId = frame.history.emit('MapStateSucceeded', frame.history.lastId);
  return outputs;
}

/** Map: an inline Map runs its iterations here; a Distributed Map goes to the Map Run port. */
export async function runMap(ctx: StateContext<CompiledMap>): Promise<StateOutcome> {
  const result = ctx.state.distributed ? await runDistributedMap(ctx) : await runInline(ctx);
  if (ctx.inspection) ctx.inspection.result = result;
  return { output: await ctx.state.io.finish(ctx, result), next: ctx.state.next };
}
