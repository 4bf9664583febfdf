import type { PassState } from '../definition/types.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { effectiveInput, evaluateJsonata, finishWithResult } from '../state-io.ts';

/** Pass: its Result (or effective input) becomes the result; nothing else happens. */
export async function runPass(ctx: StateContext<PassState>): Promise<StateOutcome> {
  const { state } = ctx;
  if (ctx.queryLanguage === 'JSONata') {
    const output = state.Output === undefined ? ctx.rawInput : await evaluateJsonata(ctx, state.Output);
    if (state.Assign) Object.assign(ctx.frame.variables, await evaluateJsonata(ctx, state.Assign));
    return { output, next: state.Next };
  }
  const result = state.Result !== undefined ? state.Result : await effectiveInput(ctx);
  return { output: await finishWithResult(ctx, result), next: state.Next };
}
