/**
 * Every error name our Lambdas can throw. Step Functions matches `ErrorEquals` against the
 * Lambda's `errorType`, which is the thrown error's `name`, so these strings are a contract
 * between `functions/` and `asl/` (a test checks every `ErrorEquals` in asl/ against this table).
 */
export const ErrorNames = {
  /** Worth retrying: the database or a service was briefly unreachable, busy or timed out. */
  Transient: 'TransientError',
  /** The batch envelope itself is malformed (not a row problem): a bug upstream, never retried. */
  InvalidBatch: 'InvalidBatchError',
  /** An execution was started with an input that is not an S3 Object Created event. */
  InvalidInput: 'InvalidInputError',
  /** The key names a dataset that does not exist. */
  UnknownDataset: 'UnknownDatasetError',
  /** Configuration (environment, secret) is missing or invalid. */
  Configuration: 'ConfigurationError',
  /** A small file read by validate itself is not what its suffix says (bad JSON, not an array…). */
  UnreadableFile: 'UnreadableFileError',
  /** A batch execution's child had files that failed: they fail alone, the others are loaded. */
  FileBatchFailed: 'FileBatchFailed',
  /** The database rejected the statement for a reason retrying will not fix. */
  Database: 'DatabaseError',
} as const;

export type ErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];

/** Errors the ASL retries: ours plus the Lambda service's own transient failures. */
export const RetryableErrorNames = [
  ErrorNames.Transient,
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;
