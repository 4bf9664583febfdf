import type { CompiledChoice } from '../compile/compiled-machine.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext, StateOutcome } from '../frame.ts';

/**
 * Choice: the first matching rule (or Default) picks the next state; no match is States.NoChoiceMatched.
 * Like Wait and Succeed it has no result: its output is its input after InputPath, then OutputPath.
 */
export async function runChoice(ctx: StateContext<CompiledChoice>): Promise<StateOutcome> {
  const { state } = ctx;
  const input = state.io.selectInput(ctx);
  for (const choice of state.choices) {
    if (!(await choice.matches(ctx, input))) continue;
    return { output: await choice.io.finish(ctx, input, { resultIsInput: true }), next: choice.next };
  }
  if (state.default !== undefined)
    return { output: await state.io.finish(ctx, input, { resultIsInput: true }), next: state.default };
  throw new StatesError(StatesErrorNames.NoChoiceMatched, `No Matches! (state ${ctx.name})`);
}
