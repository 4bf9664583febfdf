import type { WaitState } from '../definition/types.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { isJsonataExpression } from '../jsonata/evaluate-jsonata.ts';
import { readPath } from '../paths/json-path.ts';
import { evaluateJsonata, finishWithResult, numberField, scopeOf } from '../state-io.ts';

async function waitUntil(ctx: StateContext<WaitState>): Promise<number> {
  const { state } = ctx;
  const now = ctx.frame.options.clock.now().getTime();
  if (state.Seconds !== undefined) return now + (await numberField(ctx, state.Seconds, 'Seconds'))! * 1000;
  if (state.SecondsPath !== undefined) {
    const seconds = readPath(state.SecondsPath, scopeOf(ctx, ctx.rawInput));
    if (typeof seconds !== 'number' || seconds < 0) {
      throw new StatesError(
        StatesErrorNames.Runtime,
        `The SecondsPath '${state.SecondsPath}' must give a non-negative number`,
      );
    }
    return now + seconds * 1000;
  }
  let timestamp: unknown = state.Timestamp;
  if (typeof timestamp === 'string' && ctx.queryLanguage === 'JSONata' && isJsonataExpression(timestamp)) {
    timestamp = await evaluateJsonata(ctx, timestamp);
  }
  if (state.TimestampPath !== undefined)
    timestamp = readPath(state.TimestampPath, scopeOf(ctx, ctx.rawInput));
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at))
    throw new StatesError(
      StatesErrorNames.Runtime,
      `The Wait state's timestamp ${JSON.stringify(timestamp)} is not an ISO 8601 timestamp`,
    );
  return at;
}

/** Wait: sleeps on the injected clock (scaled locally), then passes its input on. */
export async function runWait(ctx: StateContext<WaitState>): Promise<StateOutcome> {
  const delay = Math.max(0, (await waitUntil(ctx)) - ctx.frame.options.clock.now().getTime());
  await ctx.frame.options.clock.sleep(delay, ctx.frame.options.signal);
  return { output: await finishWithResult(ctx, ctx.rawInput, { resultIsInput: true }), next: ctx.state.Next };
}
