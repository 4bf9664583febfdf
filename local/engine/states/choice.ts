import { evaluateChoiceRule } from '../choice/evaluate-choice.ts';
import type { ChoiceState } from '../definition/types.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { evaluateJsonata, finishWithResult, scopeOf } from '../state-io.ts';
import { readPath } from '../paths/json-path.ts';

/** Choice: the first matching rule (or Default) picks the next state; no match is States.NoChoiceMatched. */
export async function runChoice(ctx: StateContext<ChoiceState>): Promise<StateOutcome> {
  const { state } = ctx;
  const input =
    state.InputPath === undefined || state.InputPath === '$'
      ? ctx.rawInput
      : state.InputPath === null
        ? {}
        : readPath(state.InputPath, scopeOf(ctx, ctx.rawInput));
  for (const choice of state.Choices) {
    const matched =
      ctx.queryLanguage === 'JSONata'
        ? (await evaluateJsonata(ctx, choice.Condition)) === true
        : evaluateChoiceRule(choice, scopeOf(ctx, input));
    if (!matched) continue;
    if (ctx.queryLanguage === 'JSONata') {
      const output =
        choice.Output === undefined
          ? state.Output === undefined
            ? ctx.rawInput
            : await evaluateJsonata(ctx, state.Output)
          : await evaluateJsonata(ctx, choice.Output);
      if (choice.Assign) Object.assign(ctx.frame.variables, await evaluateJsonata(ctx, choice.Assign));
      return { output, next: choice.Next };
    }
    const output = await finishWithResult(
      { ...ctx, state: { ...state, Assign: choice.Assign ?? state.Assign } } as StateContext,
      ctx.rawInput,
      { resultIsInput: true },
    );
    return { output, next: choice.Next };
  }
  if (state.Default) {
    const output =
      ctx.queryLanguage === 'JSONata'
        ? state.Output === undefined
          ? ctx.rawInput
          : await evaluateJsonata(ctx, state.Output)
        : await finishWithResult(ctx, ctx.rawInput, { resultIsInput: true });
    return { output, next: state.Default };
  }
  throw new StatesError(StatesErrorNames.NoChoiceMatched, `No Matches! (state ${ctx.name})`);
}
