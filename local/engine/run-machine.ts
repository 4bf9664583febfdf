import type { CompiledMachine, CompiledState } from './compile/compiled-machine.ts';
import { StatesError, StatesErrorNames } from './errors.ts';
import type { Frame, StateContext, StateOutcome } from './frame.ts';
import { notTruncated } from './history.ts';
import { serialisePayload } from './limits.ts';
import { decideRetry, findCatcher } from './retry.ts';
import { runChoice } from './states/choice.ts';
import { runFail } from './states/fail.ts';
import { runMap } from './states/map.ts';
import { runParallel } from './states/parallel.ts';
import { runPass } from './states/pass.ts';
import { runSucceed } from './states/succeed.ts';
import { runTask } from './states/task.ts';
import { runWait } from './states/wait.ts';

type Handlers = {
  [T in CompiledState['type']]: (
    ctx: StateContext<Extract<CompiledState, { type: T }>>,
  ) => Promise<StateOutcome>;
};

const handlers: Handlers = {
  Pass: runPass,
  Task: runTask,
  Choice: runChoice,
  Wait: runWait,
  Succeed: runSucceed,
  Fail: runFail,
  Parallel: runParallel,
  Map: runMap,
};

/** Runs a state's own work once: no events of its own, no Retry or Catch (runState and TestState add those). */
export function dispatch(ctx: StateContext): Promise<StateOutcome> {
  // The mapped type pairs each handler with its state type; TypeScript cannot follow the pairing
  // through an indexed access, so the handler is widened here, where `type` picked it.
  return (handlers[ctx.state.type] as (ctx: StateContext) => Promise<StateOutcome>)(ctx);
}

/** Runs one state: its events, its retries (a loop, per-retrier counters) and its Catch. */
async function runState(
  frame: Frame,
  name: string,
  rawInput: unknown,
  previousEventId: number,
): Promise<StateOutcome & { lastEventId: number }> {
  const state = frame.machine.states.get(name);
  if (!state) throw new StatesError(StatesErrorNames.Runtime, `The state '${name}' does not exist`);
  const { history, options } = frame;
  const enteredId = history.emit(state.events.entered, previousEventId, {
    name,
    input: serialisePayload(rawInput, 'state input'),
    inputDetails: notTruncated,
  });
  const ctx: StateContext = {
    name,
    state,
    rawInput,
    queryLanguage: state.queryLanguage,
    frame,
    entered: history.lastTimestamp,
    enteredEventId: enteredId,
    retryCount: 0,
    lastEventId: enteredId,
  };
  const { retriers, catchers } = state;
  const counters = retriers.map(() => 0);
  // Only a state that assigns can change the variables: the others need no snapshot to compare.
  const variablesBefore = state.assigns ? { ...frame.variables } : undefined;
  const inTask = state.type === 'Task';
  let outcome: StateOutcome;
  for (;;) {
    try {
      outcome = await dispatch(ctx);
      break;
    } catch (thrown) {
      if (!(thrown instanceof StatesError) || options.signal.aborted) throw thrown;
      const decision = decideRetry(retriers, counters, thrown, inTask);
      if (decision.retry) {
        counters[decision.retrier]!++;
        ctx.retryCount++;
        await options.clock.sleep(decision.delayMs, options.signal);
        continue;
      }
      const catcher = findCatcher(catchers, thrown, inTask);
      if (!catcher) throw Object.assign(thrown, { lastEventId: ctx.lastEventId });
      outcome = { output: await catcher.finish(ctx, thrown), next: catcher.next };
      break;
    }
  }
  // AWS records what a state assigned in its Exited event; a redrive restores variables from it.
  const assigned = variablesBefore
    ? Object.entries(frame.variables).filter(([key, value]) => variablesBefore[key] !== value)
    : [];
  const exitedId = history.emit(state.events.exited, ctx.lastEventId, {
    name,
    output: serialisePayload(outcome.output, 'state output'),
    outputDetails: notTruncated,
    ...(assigned.length
      ? {
          assignedVariables: Object.fromEntries(assigned.map(([key, value]) => [key, JSON.stringify(value)])),
          assignedVariablesDetails: notTruncated,
        }
      : {}),
  });
  return { ...outcome, lastEventId: exitedId };
}

/**
 * Runs a (sub)machine from `startAt` (default StartAt) until a state ends it; resolves with the
 * final output, rejects with the `StatesError` that ended it. A loop, not recursion, so long
 * workflows do not grow the stack.
 */
export async function runMachine(
  frame: Frame,
  input: unknown,
  previousEventId: number,
  startAt: string = frame.machine.startAt,
): Promise<{ output: unknown; lastEventId: number }> {
  let name: string | undefined = startAt;
  let value = input;
  let last = previousEventId;
  while (name !== undefined) {
    frame.options.signal.throwIfAborted();
    const outcome = await runState(frame, name, value, last);
    value = outcome.output;
    last = outcome.lastEventId;
    name = outcome.next;
  }
  return { output: value, lastEventId: last };
}

/** A child frame for a Parallel branch or Map iteration: its own machine and a copy of the variables. */
export function childFrame(frame: Frame, machine: CompiledMachine, mapItem?: Frame['mapItem']): Frame {
  return {
    ...frame,
    machine,
    variables: { ...frame.variables },
    redriveReuse: undefined,
    ...(mapItem ? { mapItem } : {}),
  };
}
