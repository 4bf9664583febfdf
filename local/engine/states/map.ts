import type { Machine, MapState } from '../definition/types.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { contextObjectOf, type StateContext, type StateOutcome } from '../frame.ts';
import { evaluateTemplate } from '../jsonata/evaluate-jsonata.ts';
import { PathNotFoundError, readPath } from '../paths/json-path.ts';
import { applyPayloadTemplate } from '../paths/payload-template.ts';
import { recordFinishedWork, takeFinishedWork } from '../redrive-reuse.ts';
import { childFrame, runMachine } from '../run-machine.ts';
import { evaluateJsonata, finishWithResult, numberField, numberFromPath, scopeOf } from '../state-io.ts';
import { runDistributedMap } from './distributed-map.ts';

/** AWS runs at most 40 iterations of an inline Map at once, whatever MaxConcurrency says. */
export const INLINE_MAP_CONCURRENCY = 40;

/** The Map's items: ItemsPath (JSONPath, on the input after InputPath) or Items (JSONata). */
export async function itemsOf(ctx: StateContext<MapState>): Promise<unknown[]> {
  const { state } = ctx;
  let items: unknown;
  if (ctx.queryLanguage === 'JSONata') {
    items = state.Items === undefined ? ctx.rawInput : await evaluateJsonata(ctx, state.Items);
  } else {
    const input =
      state.InputPath === null
        ? {}
        : state.InputPath
          ? readPath(state.InputPath, scopeOf(ctx, ctx.rawInput))
          : ctx.rawInput;
    try {
      items = state.ItemsPath ? readPath(state.ItemsPath, scopeOf(ctx, input)) : input;
    } catch (error) {
      if (!(error instanceof PathNotFoundError)) throw error;
      throw new StatesError(
        StatesErrorNames.Runtime,
        `Invalid path '${state.ItemsPath}': the Map's items could not be found`,
      );
    }
  }
  if (!Array.isArray(items)) {
    throw new StatesError(
      StatesErrorNames.Runtime,
      `The Map state's items must be an array, got ${JSON.stringify(items)?.slice(0, 200)}`,
    );
  }
  return items;
}

/** ItemSelector (or legacy Parameters) for one item, with `$$.Map.Item` set. */
// The context object is the same for every item of one attempt of a Map state: built once, not per item.
const mapStateContexts = new WeakMap<StateContext<MapState>, { retryCount: number; context: object }>();
function contextOfMapState(ctx: StateContext<MapState>): object {
  let cached = mapStateContexts.get(ctx);
  if (cached?.retryCount !== ctx.retryCount) {
    cached = { retryCount: ctx.retryCount, context: contextObjectOf(ctx) };
    mapStateContexts.set(ctx, cached);
  }
  return cached.context;
}

export async function selectItem(
  ctx: StateContext<MapState>,
  value: unknown,
  index: number,
): Promise<unknown> {
  const { state } = ctx;
  const selector =
    state.ItemSelector ??
    (ctx.queryLanguage === 'JSONPath' ? (state as { Parameters?: unknown }).Parameters : undefined);
  if (selector === undefined) return value;
  const context = { ...contextOfMapState(ctx), Map: { Item: { Index: index, Value: value } } };
  if (ctx.queryLanguage === 'JSONata')
    return evaluateTemplate(selector, { input: ctx.rawInput, context }, ctx.frame.variables);
  const input =
    state.InputPath === null
      ? {}
      : state.InputPath
        ? readPath(state.InputPath, scopeOf(ctx, ctx.rawInput))
        : ctx.rawInput;
  return applyPayloadTemplate(selector, { input, context, variables: ctx.frame.variables });
}

async function runInline(ctx: StateContext<MapState>, processor: Machine): Promise<unknown[]> {
  const { frame, state, name } = ctx;
  const items = await itemsOf(ctx);
  const requested =
    (await numberField(ctx, state.MaxConcurrency, 'MaxConcurrency')) ??
    numberFromPath(ctx, state.MaxConcurrencyPath, ctx.rawInput, 'MaxConcurrencyPath') ??
    0;
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
        const input = await selectItem(ctx, items[index], index);
        const iterationFrame = childFrame(
          { ...frame, options: { ...frame.options, signal: abort.signal } },
          processor,
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
export async function runMap(ctx: StateContext<MapState>): Promise<StateOutcome> {
  const processor = ctx.state.ItemProcessor ?? ctx.state.Iterator;
  if (!processor)
    throw new StatesError(StatesErrorNames.Runtime, `The Map state '${ctx.name}' has no ItemProcessor`);
  const result =
    ctx.state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED'
      ? await runDistributedMap(ctx, processor)
      : await runInline(ctx, processor);
  return { output: await finishWithResult(ctx, result), next: ctx.state.Next };
}
