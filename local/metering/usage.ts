/**
 * What a run of the local cloud did, in the units AWS bills by, counted as it happened. No
 * prices here: local/cost/ turns usage into dollars.
 */
export interface Usage {
  stepFunctions: {
    /** State transitions of STANDARD executions, counted as AWS bills them (see state-transitions.ts). */
    standardTransitions: number;
    standardExecutions: number;
    expressExecutions: number;
    /** EXPRESS durations, each rounded up to 100 ms as AWS bills them. */
    expressBilledMs: number;
  };
  /**
   * Per function name: wall time, and billed time (each invocation's time alone, rounded up to
   * the millisecond: see SharedTime).
   */
  lambda: Record<string, { invocations: number; durationMs: number; billedMs: number }>;
  s3: {
    /** PUT, COPY, POST and LIST requests (one price). */
    writeOrListRequests: number;
    /** GET, HEAD and the other reads (another price). */
    readRequests: number;
  };
  /** SQS requests, each 64 KB of payload one more. */
  sqs: { requests: number };
  /** SNS publishes, each 64 KB of payload one more (deliveries to SQS are free). */
  sns: { publishes: number };
  dynamodb: { writeRequestUnits: number; readRequestUnits: number };
  eventBridge: {
    /** Events from AWS services (S3, Step Functions) to the default bus: not billed. */
    awsServiceEvents: number;
    /** Events put by our code: billed per 64 KB. */
    customEvents: number;
  };
  /** EventBridge Pipes requests after filtering, each 64 KB one more. */
  pipes: { requests: number };
  /** Bytes the functions wrote to CloudWatch Logs (their lines and Lambda's START/END/REPORT). */
  logs: { ingestedBytes: number };
}

export function emptyUsage(): Usage {
  return {
    stepFunctions: {
      standardTransitions: 0,
      standardExecutions: 0,
      expressExecutions: 0,
      expressBilledMs: 0,
    },
    lambda: {},
    s3: { writeOrListRequests: 0, readRequests: 0 },
    sqs: { requests: 0 },
    sns: { publishes: 0 },
    dynamodb: { writeRequestUnits: 0, readRequestUnits: 0 },
    eventBridge: { awsServiceEvents: 0, customEvents: 0 },
    pipes: { requests: 0 },
    logs: { ingestedBytes: 0 },
  };
}

/** AWS's 64 KB billing chunk (SQS, SNS, EventBridge, Pipes): a payload of n bytes is ⌈n / 64 KB⌉ requests, at least one. */
export const chunksOf64KB = (bytes: number): number => Math.max(1, Math.ceil(bytes / (64 * 1024)));
