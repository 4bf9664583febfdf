import type { Machine, QueryLanguage, State } from './definition/types.ts';
import type { ExecutionContext, RunOptions } from './execution-types.ts';
import type { History } from './history.ts';
import type { FinishedWork } from './redrive-reuse.ts';

/** What every state of one (sub)machine run shares: the machine, history, options and variables. */
export interface Frame {
  machine: Machine;
  queryLanguage: QueryLanguage;
  history: History;
  options: RunOptions;
  execution: ExecutionContext;
  /** Variables visible here: a Map iteration or Parallel branch gets its own copy of its parent's. */
  variables: Record<string, unknown>;
  /** `$$.Map.Item` inside an inline Map iteration. */
  mapItem?: { Index: number; Value: unknown };
  /** On the top-level frame of a redrive: what the state it starts at finished before. */
  redriveReuse?: FinishedWork | undefined;
}

/** One state being run. */
export interface StateContext<S extends State = State> {
  name: string;
  state: S;
  rawInput: unknown;
  queryLanguage: QueryLanguage;
  frame: Frame;
  enteredTime: string;
  retryCount: number;
  /** Id of the last event of this state so far (its Entered event, then task events…). */
  lastEventId: number;
}

/** What a state hands back: its output and where to go. */
export interface StateOutcome {
  output: unknown;
  next?: string;
}

/** The `$$` context object as the ASL defines it. */
export function contextObjectOf(ctx: StateContext): Record<string, unknown> {
  const { execution, mapItem } = ctx.frame;
  return {
    Execution: {
      Id: execution.executionArn,
      Input: executionInput.get(ctx.frame.history),
      Name: execution.executionName,
      RoleArn: execution.roleArn,
      StartTime: execution.startTime,
      RedriveCount: execution.redriveCount,
    },
    State: { EnteredTime: ctx.enteredTime, Name: ctx.name, RetryCount: ctx.retryCount },
    StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineName },
    ...(mapItem ? { Map: { Item: mapItem } } : {}),
  };
}

/** The execution's input, kept beside its history so `$$.Execution.Input` needs no copy per state. */
export const executionInput = new WeakMap<History, unknown>();
