import type { ChoiceRule } from '../choice/evaluate-choice.ts';
import type { Catcher, Retrier } from '../retry.ts';

export type QueryLanguage = 'JSONPath' | 'JSONata';
export type StateMachineType = 'STANDARD' | 'EXPRESS';

/** Fields every state may carry (which ones apply depends on its type and query language). */
interface Common {
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  InputPath?: string | null;
  OutputPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

/** `Next` xor `End`, as the ASL requires of every state that is not terminal by type. */
type Transition = { Next: string; End?: never } | { End: true; Next?: never };

interface WithResult {
  Parameters?: unknown;
  Arguments?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
}

interface WithErrors {
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export type PassState = Common &
  Transition & { Type: 'Pass'; Result?: unknown; Parameters?: unknown; ResultPath?: string | null };

export type TaskState = Common &
  Transition &
  WithResult &
  WithErrors & {
    Type: 'Task';
    Resource: string;
    TimeoutSeconds?: number | string;
    TimeoutSecondsPath?: string;
    HeartbeatSeconds?: number | string;
    HeartbeatSecondsPath?: string;
    Credentials?: unknown;
  };

export type ChoiceState = Common & {
  Type: 'Choice';
  Choices: (ChoiceRule & {
    Next: string;
    Condition?: string;
    Assign?: Record<string, unknown>;
    Output?: unknown;
  })[];
  Default?: string;
};

export type WaitState = Common &
  Transition & {
    Type: 'Wait';
    Seconds?: number | string;
    Timestamp?: string;
    SecondsPath?: string;
    TimestampPath?: string;
  };

export type SucceedState = Common & { Type: 'Succeed' };

export type FailState = Common & {
  Type: 'Fail';
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
};

export interface Machine {
  StartAt: string;
  States: Record<string, State>;
  QueryLanguage?: QueryLanguage;
  TimeoutSeconds?: number;
  Comment?: string;
}

export type ParallelState = Common &
  Transition &
  WithResult &
  WithErrors & { Type: 'Parallel'; Branches: Machine[] };

export type MapState = Common &
  Transition &
  WithResult &
  WithErrors & {
    Type: 'Map';
    ItemsPath?: string;
    Items?: unknown;
    ItemSelector?: unknown;
    ItemProcessor?: Machine & {
      ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: 'STANDARD' | 'EXPRESS' };
    };
    /** Legacy names of ItemProcessor and ItemSelector. */
    Iterator?: Machine;
    MaxConcurrency?: number | string;
    MaxConcurrencyPath?: string;
    ItemReader?: {
      Resource: string;
      Parameters?: unknown;
      Arguments?: unknown;
      ReaderConfig?: Record<string, unknown>;
    };
    ItemBatcher?: Record<string, unknown>;
    ResultWriter?: ResultWriter;
    ToleratedFailurePercentage?: number | string;
    ToleratedFailurePercentagePath?: string;
    ToleratedFailureCount?: number | string;
    ToleratedFailureCountPath?: string;
    Label?: string;
  };

/** A Distributed Map's ResultWriter: export to S3 (Resource + Parameters), shape (WriterConfig), or both. */
export interface ResultWriter {
  Resource?: string;
  Parameters?: unknown;
  Arguments?: unknown;
  WriterConfig?: { Transformation?: Transformation; OutputType?: 'JSON' | 'JSONL'; [field: string]: unknown };
}

export type Transformation = 'NONE' | 'COMPACT' | 'FLATTEN';

export type State =
  PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;
export type StateType = State['Type'];

/** A parsed, validated state machine definition. */
export interface StateMachineDefinition extends Machine {
  QueryLanguage: QueryLanguage;
}
