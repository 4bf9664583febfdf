import type {
  ChoiceState,
  FailState,
  Machine,
  MapState,
  QueryLanguage,
  State,
  TaskState,
  WaitState,
} from '../definition/types.ts';
import type { StateContext } from '../frame.ts';
import type { Retrier } from '../retry.ts';
import type { CompiledCatcher, StateIo } from './compile-io.ts';

/** A (sub)machine compiled once: its states by name, each with its processing built. */
export interface CompiledMachine {
  startAt: string;
  states: ReadonlyMap<string, CompiledState>;
  queryLanguage: QueryLanguage;
  timeoutSeconds?: number;
  /** The ASL as written: a Distributed Map's children run it as a state machine of their own. */
  source: Machine;
}

/** A number field in any of its forms (literal, `…Path`, JSONata), read when the state runs. */
export type NumberSource = (ctx: StateContext) => Promise<number | undefined>;

interface Base<S extends State> {
  name: string;
  type: S['Type'];
  source: S;
  queryLanguage: QueryLanguage;
  next: string | undefined;
  io: StateIo;
  retriers: readonly Retrier[];
  catchers: readonly CompiledCatcher[];
  /** Its history event types, named once: `PassStateEntered`, `PassStateExited`. */
  events: { entered: string; exited: string };
  /** Whether it, one of its choices or one of its catchers has Assign. */
  assigns: boolean;
}

export type CompiledPass = Base<Extract<State, { Type: 'Pass' }>>;
export type CompiledSucceed = Base<Extract<State, { Type: 'Succeed' }>>;

export interface CompiledTask extends Base<TaskState> {
  timeoutSeconds: NumberSource;
  heartbeatSeconds: NumberSource;
}

export interface CompiledChoice extends Base<ChoiceState> {
  choices: readonly {
    matches(ctx: StateContext, input: unknown): Promise<boolean>;
    next: string;
    /** The output and variables of this choice (its own Output/Assign, or the state's). */
    io: StateIo;
  }[];
  default: string | undefined;
}

export interface CompiledWait extends Base<WaitState> {
  /** When to wake up, in epoch milliseconds. */
  until(ctx: StateContext): Promise<number>;
}

export interface CompiledFail extends Base<FailState> {
  error(ctx: StateContext): Promise<string | undefined>;
  cause(ctx: StateContext): Promise<string | undefined>;
}

export interface CompiledParallel extends Base<Extract<State, { Type: 'Parallel' }>> {
  branches: readonly CompiledMachine[];
}

export interface CompiledMap extends Base<MapState> {
  processor: CompiledMachine;
  distributed: boolean;
  items(ctx: StateContext): Promise<unknown[]>;
  selectItem(ctx: StateContext, value: unknown, index: number): Promise<unknown>;
  maxConcurrency: NumberSource;
  toleratedFailurePercentage: NumberSource;
  toleratedFailureCount: NumberSource;
  /** Evaluates a JSONPath `Parameters` / JSONata `Arguments` block (ItemReader, ResultWriter). */
  block(ctx: StateContext, which: 'ItemReader' | 'ResultWriter'): Promise<Record<string, unknown>>;
  batchInput(ctx: StateContext): Promise<unknown>;
  batcherNumber(
    ctx: StateContext,
    field: 'MaxItemsPerBatch' | 'MaxInputBytesPerBatch',
  ): Promise<number | undefined>;
  readerMaxItems: NumberSource;
}

export type CompiledState =
  | CompiledPass
  | CompiledTask
  | CompiledChoice
  | CompiledWait
  | CompiledSucceed
  | CompiledFail
  | CompiledParallel
  | CompiledMap;
