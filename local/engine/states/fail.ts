import type { CompiledFail } from '../compile/compiled-machine.ts';
import { StatesError } from '../errors.ts';
import type { StateContext, StateOutcome } from '../frame.ts';

/** Fail: ends the execution (or branch) with its Error and Cause; one not given is absent, not "". */
export async function runFail(ctx: StateContext<CompiledFail>): Promise<StateOutcome> {
  const error = await ctx.state.error(ctx);
  const cause = await ctx.state.cause(ctx);
  throw new StatesError(error, cause);
}
