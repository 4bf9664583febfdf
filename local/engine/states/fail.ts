import type { FailState } from '../definition/types.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext, StateOutcome } from '../frame.ts';
import { isJsonataExpression } from '../jsonata/evaluate-jsonata.ts';
import { isIntrinsic, evaluateIntrinsic } from '../intrinsics/evaluate-intrinsic.ts';
import { readPath } from '../paths/json-path.ts';
import { evaluateJsonata, scopeOf } from '../state-io.ts';

async function textOf(
  ctx: StateContext<FailState>,
  value: string | undefined,
  path: string | undefined,
): Promise<string | undefined> {
  if (path !== undefined) {
    const scope = scopeOf(ctx, ctx.rawInput);
    const read = isIntrinsic(path) ? evaluateIntrinsic(path, scope) : readPath(path, scope);
    if (typeof read !== 'string')
      throw new StatesError(StatesErrorNames.Runtime, `The Fail state's path '${path}' must give a string`);
    return read;
  }
  if (value !== undefined && ctx.queryLanguage === 'JSONata' && isJsonataExpression(value)) {
    return String(await evaluateJsonata(ctx, value));
  }
  return value;
}

/** Fail: ends the execution (or branch) with its Error and Cause. */
export async function runFail(ctx: StateContext<FailState>): Promise<StateOutcome> {
  const error = await textOf(ctx, ctx.state.Error, ctx.state.ErrorPath);
  const cause = await textOf(ctx, ctx.state.Cause, ctx.state.CausePath);
  throw new StatesError(error ?? '', cause);
}
