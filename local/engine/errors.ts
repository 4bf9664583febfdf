/** The error names of the Amazon States Language that the interpreter raises itself. */
export const StatesErrorNames = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  DataLimitExceeded: 'States.DataLimitExceeded',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
} as const;

// `States.ALL` does not match these two: they end the execution whatever its Retry/Catch say.
const uncatchable = new Set<string>([StatesErrorNames.Runtime, StatesErrorNames.DataLimitExceeded]);

/**
 * An error as Step Functions reports it: `error` is what ErrorEquals matches, `cause` the text
 * in the history. Thrown by the interpreter and by task runners.
 */
export class StatesError extends Error {
  override readonly name = 'StatesError';
  readonly error: string;
  readonly causeText: string | undefined;
  /** A Fail state without Error: AWS reports no error field at all (not ""). */
  readonly errorOmitted: boolean;

  constructor(error: string | undefined, cause?: string) {
    super(cause ? `${error ?? ''}: ${cause}` : (error ?? ''));
    this.error = error ?? '';
    this.errorOmitted = error === undefined;
    this.causeText = cause;
  }

  /** Whether Retry and Catch with `States.ALL` may handle it. */
  get catchableByAll(): boolean {
    return !uncatchable.has(this.error);
  }
}

/**
 * The reason given to an AbortController whose work has ended, to release its listeners: made
 * once, as `abort()` without a reason builds a DOMException (and its stack) every time.
 */
export const settled = new Error('The work has ended');
