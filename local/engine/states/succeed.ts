import type { CompiledSucceed } from '../compile/compiled-machine.ts';
import type { StateContext, StateOutcome } from '../frame.ts';

/** Succeed: ends this (sub)machine with its input, through InputPath/OutputPath or Output. */
export async function runSucceed(ctx: StateContext<CompiledSucceed>): Promise<StateOutcome> {
  const { io } = ctx.state;
  return { output: await io.finish(ctx, io.selectInput(ctx), { resultIsInput: true }) };
}
