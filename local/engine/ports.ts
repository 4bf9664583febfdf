/**
 * How the interpreter talks to the world. The engine has no HTTP and no AWS SDK: the API server
 * (local/api) and the local cloud (local/stack.ts) implement these ports.
 */
import type { Transformation } from './definition/types.ts';
import type { BatcherConfig } from './item-readers/item-batcher.ts';
import type { ItemReaderRequest } from './item-readers/read-items.ts';

/** Time, injected so retries, Wait states and timeouts are testable without sleeping. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` (scaled however the clock likes); rejects with the signal's reason on abort. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A failure as Step Functions sees it: the `Error` and `Cause` strings of the history. */
export interface TaskFailure {
  error: string;
  cause?: string;
}

/** What a Task state asks of the outside world. */
export interface TaskRequest {
  /** The `Resource` ARN, e.g. `arn:aws:states:::lambda:invoke` or `arn:aws:lambda:…:function:x`. */
  resource: string;
  /** The effective parameters (after Parameters/Arguments). */
  parameters: unknown;
  /** Execution, state and task-token context. */
  context: {
    executionArn: string;
    stateMachineArn: string;
    stateName: string;
    /** The `#TestCase` of a mocked execution (Step Functions Local's mock config). */
    testCase?: string;
    /** Zero-based attempt of the Task within its state (retries count up). */
    attempt: number;
  };
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  signal: AbortSignal;
  /**
   * A `.sync` task tells what it submitted (the job started) before it waits for the job:
   * the history's `TaskSubmitted` event.
   */
  submitted?(output: unknown): void;
}

/**
 * Runs Task resources. Resolves with the task's result (for lambda:invoke already wrapped as
 * `{ ExecutedVersion, Payload, StatusCode, … }`), or rejects with a `TaskError` carrying the
 * Step Functions error name and cause.
 */
export interface TaskRunner {
  run(request: TaskRequest): Promise<unknown>;
  /**
   * Whether `run` answers this request from a mock (Step Functions Local's mock config): then it
   * stands for a task the API would otherwise run itself, such as a nested StartExecution.
   */
  mocks?(request: TaskRequest): boolean;
}

/** A Distributed Map's ResultWriter, evaluated: where the results go (if anywhere) and their shape. */
export interface ResultWriterConfig {
  /** Absent for a WriterConfig alone: the results are shaped into the state's output, not exported. */
  destination?: { bucket: string; prefix?: string };
  transformation: Transformation;
  outputType: 'JSON' | 'JSONL';
}

/**
 * A Map Run's definition with every Path and JSONata field already evaluated: what the engine
 * hands the port and what `runMapRun` runs, one type for both.
 */
export interface MapRunSpec {
  /** Where the items come from: an ItemReader, or the array the state's ItemsPath/Items gave. */
  source: { reader: ItemReaderRequest } | { items: Iterable<unknown> | AsyncIterable<unknown> };
  /** ItemSelector applied to each item (`$$.Map.Item.Index/Value`); identity when absent. */
  selectItem?(value: unknown, index: number): unknown;
  batcher?: BatcherConfig;
  /** 0 or absent: no limit but the local machine's. */
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
  resultWriter?: ResultWriterConfig;
}

/** What the engine asks of a Distributed Map: everything evaluated, the Map Run left to the port. */
export interface DistributedMapRequest extends MapRunSpec {
  stateName: string;
  /** The execution running the Map state. */
  executionArn: string;
  stateMachineArn: string;
  label?: string;
  /** The parent's MockConfigFile test case: its children run under it too. */
  testCase?: string;
  /** The ItemProcessor, run as one child execution per item or batch. */
  processor: Record<string, unknown>;
  executionType: 'STANDARD' | 'EXPRESS';
  /** Appends a Map Run event (`MapRunStarted`, `MapRunFailed`, …) to the parent's history. */
  emit(type: string, details?: Record<string, unknown>): void;
  signal: AbortSignal;
}

/** Runs Distributed Maps (child executions live in the API's store); resolves with the state's result. */
export interface DistributedMapRunner {
  run(request: DistributedMapRequest): Promise<unknown>;
}

/** A Task waiting for SendTaskSuccess / SendTaskFailure under its task token. */
export interface PendingCallback {
  token: string;
  /** Resolves with the worker's name when a worker takes an activity task (GetActivityTask). */
  started: Promise<string | undefined>;
  /** Resolves with SendTaskSuccess's output; rejects with a StatesError on SendTaskFailure. */
  result: Promise<unknown>;
  /** Resolves at the next SendTaskHeartbeat. */
  nextHeartbeat(): Promise<void>;
  /** The Task ended (any way): the token is no longer accepted. */
  close(): void;
}

/** Task tokens: `.waitForTaskToken` integrations and activities (the API's registry implements it). */
export interface TaskCallbacks {
  /** A token for a Task; with `activity`, the task is queued for that activity's workers. */
  issue(request: { executionArn: string; activity?: { arn: string; input: string } }): PendingCallback;
}
