import type { CompiledPass } from '../compile/compiled-machine.ts';
import type { StateContext, StateOutcome } from '../frame.ts';

/** Pass: its Result (or effective input) becomes the result; nothing else happens. */
export async function runPass(ctx: StateContext<CompiledPass>): Promise<StateOutcome> {
  const { state } = ctx;
  const result =
    state.queryLanguage === 'JSONPath' && state.source.Result !== undefined
      ? state.source.Result
      : await state.io.effectiveInput(ctx);
  return { output: await state.io.finish(ctx, result), next: state.next };
}
