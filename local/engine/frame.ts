import type { CompiledMachine, CompiledState } from './compile/compiled-machine.ts';
import type { QueryLanguage } from './definition/types.ts';
import type { ExecutionContext, RunOptions } from './execution-types.ts';
import type { History } from './history.ts';
import type { JsonataStates } from './jsonata/evaluate-jsonata.ts';
import type { PathScope } from './paths/json-path.ts';
import type { FinishedWork } from './redrive-reuse.ts';

/** What every state of one (sub)machine run shares: the machine, history, options and variables. */
export interface Frame {
  machine: CompiledMachine;
  history: History;
  options: RunOptions;
  execution: ExecutionContext;
  /** Variables visible here: a Map iteration or Parallel branch gets its own copy of its parent's. */
  variables: Record<string, unknown>;
  /** `$$.Map.Item` inside an inline Map iteration. */
  mapItem?: { Index: number; Value: unknown };
  /** On the top-level frame of a redrive: what the state it starts at finished before. */
  redriveReuse?: FinishedWork | undefined;
  /** TestState's `context`: fields of `$$` the caller sets, laid over the ones the run makes. */
  contextOverride?: Record<string, unknown>;
}

/** The values of each step of a state's processing, as TestState's inspection data names them. */
export interface Inspection {
  afterInputPath?: unknown;
  afterParameters?: unknown;
  afterArguments?: unknown;
  result?: unknown;
  afterResultSelector?: unknown;
  afterResultPath?: unknown;
}

/** One state being run. */
export interface StateContext<S extends CompiledState = CompiledState> {
  name: string;
  state: S;
  rawInput: unknown;
  queryLanguage: QueryLanguage;
  frame: Frame;
  /** When the state was entered: its Entered event's timestamp. */
  entered: Date;
  /** Id of the state's Entered event: AWS's runtime error causes name it. */
  enteredEventId: number;
  retryCount: number;
  /** Id of the last event of this state so far (its Entered event, then task events…). */
  lastEventId: number;
  /** Set when the caller wants each processing step's value recorded (TestState, the console). */
  inspection?: Inspection;
  /** A `.waitForTaskToken` Task's token: `$$.Task.Token`. */
  taskToken?: string;
}

/** What a state hands back: its output and where to go. */
export interface StateOutcome {
  output: unknown;
  next?: string | undefined;
}

/** The `$$` context object as the ASL defines it. */
export function contextObjectOf(ctx: StateContext): Record<string, unknown> {
  const { execution, mapItem, contextOverride } = ctx.frame;
  const made = {
    Execution: {
      Id: execution.executionArn,
      Input: executionInput.get(ctx.frame.history),
      Name: execution.executionName,
      RoleArn: execution.roleArn,
      StartTime: execution.startTime,
      RedriveCount: execution.redriveCount,
    },
    State: { EnteredTime: ctx.entered.toISOString(), Name: ctx.name, RetryCount: ctx.retryCount },
    StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineName },
    ...(mapItem ? { Map: { Item: mapItem } } : {}),
    ...(ctx.taskToken !== undefined ? { Task: { Token: ctx.taskToken } } : {}),
  };
  return contextOverride ? overlay(made, contextOverride) : made;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `over` laid on `base`, objects merged key by key (a given `Execution.Id` keeps the made `Name`). */
function overlay(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base };
  for (const [key, value] of Object.entries(over))
    merged[key] = isObject(value) && isObject(base[key]) ? overlay(base[key], value) : value;
  return merged;
}

/** A path scope whose `$$` context object is built only if a path asks for it (most do not). */
export function scopeOf(ctx: StateContext, input: unknown): PathScope {
  let context: unknown;
  return {
    input,
    get context() {
      return (context ??= contextObjectOf(ctx));
    },
    variables: ctx.frame.variables,
  };
}

/** `$states` for a JSONata field: the context object too is built only when read. */
export function jsonataStatesOf(
  ctx: StateContext,
  extra: { result?: unknown; errorOutput?: unknown } = {},
): JsonataStates {
  let context: unknown;
  return {
    input: ctx.rawInput,
    get context() {
      return (context ??= contextObjectOf(ctx));
    },
    ...extra,
  };
}

/** The execution's input, kept beside its history so `$$.Execution.Input` needs no copy per state. */
export const executionInput = new WeakMap<History, unknown>();
