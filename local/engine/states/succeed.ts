import type { SucceedState } from '../definition/types.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { finishWithResult, effectiveInput, evaluateJsonata } from '../state-io.ts';

/** Succeed: ends this (sub)machine with its input, through InputPath/OutputPath or Output. */
export async function runSucceed(ctx: StateContext<SucceedState>): Promise<StateOutcome> {
  if (ctx.queryLanguage === 'JSONata') {
    return {
      output: ctx.state.Output === undefined ? ctx.rawInput : await evaluateJsonata(ctx, ctx.state.Output),
    };
  }
  return { output: await finishWithResult(ctx, await effectiveInput(ctx), { resultIsInput: true }) };
}
