/**
 * The contract between the interpreter (local/engine) and whoever runs executions (local/api,
 * local/stack.ts). Types only: the engine implements `runExecution` in execution.ts.
 */
import type { Clock, DistributedMapRunner, TaskCallbacks, TaskRunner } from './ports.ts';
import type { FinishedWork } from './redrive-reuse.ts';

export type ExecutionStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/**
 * One history event exactly as GetExecutionHistory returns it: `type` is AWS's event type
 * (`ExecutionStarted`, `TaskStateEntered`, `LambdaFunctionScheduled`, …) and the details sit under
 * AWS's key for that type (`executionStartedEventDetails`, `stateEnteredEventDetails`, …).
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

/** The `$$.Execution` / `$$.StateMachine` part of the context object, fixed for a run. */
export interface ExecutionContext {
  executionArn: string;
  executionName: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  /** ISO-8601 start time of the execution. */
  startTime: string;
  redriveCount: number;
  /** The `#TestCase` suffix of a mocked execution (Step Functions Local's mock config). */
  testCase?: string;
}

export interface RunOptions {
  context: ExecutionContext;
  taskRunner: TaskRunner;
  clock: Clock;
  /** Every history event, in order, as it happens. Ids are assigned by the engine. */
  onEvent(event: HistoryEvent): void;
  /** StopExecution aborts it: the run ends ABORTED. */
  signal: AbortSignal;
  /** The id of the last event already in the history (redrive continues numbering). */
  lastEventId?: number;
  /** Task tokens for `.waitForTaskToken` and activities; without it such Tasks go to the task runner. */
  callbacks?: TaskCallbacks;
  /** Runs Distributed Map states; without it they fail with States.Runtime. */
  distributedMap?: DistributedMapRunner;
  /** The history limit (25,000 as on AWS); benchmarks of huge inline Maps lift it. */
  historyLimit?: number;
  /**
   * Redrive: start at this top-level state with this input instead of StartAt; `finished` are the
   * outputs of its iterations or branches that succeeded before (an inline Map or a Parallel).
   */
  startAt?: {
    stateName: string;
    input: unknown;
    variables?: Record<string, unknown>;
    finished?: Record<number, unknown>;
  };
}

export type ExecutionResult =
  | { status: 'SUCCEEDED'; output: unknown }
  | { status: 'FAILED' | 'TIMED_OUT'; error?: string; cause?: string; finished?: FinishedWork }
  | { status: 'ABORTED'; error?: string; cause?: string };
