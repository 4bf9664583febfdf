import type { CompiledWait } from '../compile/compiled-machine.ts';
import type { StateContext, StateOutcome } from '../frame.ts';

/** Wait: sleeps on the injected clock (scaled locally), then passes its input on. */
export async function runWait(ctx: StateContext<CompiledWait>): Promise<StateOutcome> {
  const { clock, signal } = ctx.frame.options;
  const delay = Math.max(0, (await ctx.state.until(ctx)) - clock.now().getTime());
  await clock.sleep(delay, signal);
  return {
    output: await ctx.state.io.finish(ctx, ctx.state.io.selectInput(ctx), { resultIsInput: true }),
    next: ctx.state.next,
  };
}
