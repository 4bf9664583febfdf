/**
 * AWS list prices, us-east-1, on-demand, looked up 2026-12-03 on the pages named per line (the
 * figures as those pages and their archived copies give them). Free tiers are left out: this is
 * the bill at scale, where they are a rounding error. Volume tiers are left out too: the first
 * tier holds the workloads `chute cost` is for (noted where that stops being true).
 */
export const Prices = {
  stepFunctions: {
    /** https://aws.amazon.com/step-functions/pricing/ — $0.025 per 1,000 state transitions. */
    perStandardTransition: 0.025 / 1000,
    /** https://aws.amazon.com/step-functions/pricing/ — Express: $1.00 per 1M requests. */
    perExpressRequest: 1.0 / 1_000_000,
    /**
     * https://aws.amazon.com/step-functions/pricing/ — Express duration, first 1,000 GB-hours a
     * month: $0.00001667 per GB-second (cheaper beyond; not verified in the corpus past the first tier).
     */
    perExpressGbSecond: 0.00001667,
    /**
     * AWS bills Express memory in 64 MB increments of what the execution uses (definition,
     * payloads, Map state); the local engine cannot measure it as AWS does, so every execution is
     * priced at the 64 MB minimum.
     */
    expressBilledMemoryGb: 64 / 1024,
  },
  lambda: {
    /** https://aws.amazon.com/lambda/pricing/ — $0.20 per 1M requests (x86 and Arm alike). */
    perRequest: 0.2 / 1_000_000,
    /** https://aws.amazon.com/lambda/pricing/ — Arm, first 7.5 billion GB-seconds a month. */
    perArmGbSecond: 0.0000133334,
    /** https://aws.amazon.com/lambda/pricing/ — x86, first 6 billion GB-seconds a month. */
    perX86GbSecond: 0.0000166667,
  },
  s3: {
    /** https://aws.amazon.com/s3/pricing/ — S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000. */
    perWriteOrListRequest: 0.005 / 1000,
    /** https://aws.amazon.com/s3/pricing/ — S3 Standard GET, SELECT and all other requests: $0.0004 per 1,000. */
    perReadRequest: 0.0004 / 1000,
  },
  /** https://aws.amazon.com/sqs/pricing/ — standard queue: $0.40 per 1M requests (each 64 KB chunk one request). */
  sqs: { perRequest: 0.4 / 1_000_000 },
  /** https://aws.amazon.com/sns/pricing/ — standard topic: $0.50 per 1M publishes (64 KB chunks); delivery to SQS free. */
  sns: { perPublish: 0.5 / 1_000_000 },
  dynamodb: {
    /** https://aws.amazon.com/dynamodb/pricing/on-demand/ — $0.625 per 1M write request units. */
    perWriteRequestUnit: 0.625 / 1_000_000,
    /** https://aws.amazon.com/dynamodb/pricing/on-demand/ — $0.125 per 1M read request units. */
    perReadRequestUnit: 0.125 / 1_000_000,
  },
  eventBridge: {
    /** https://aws.amazon.com/eventbridge/pricing/ — custom events: $1.00 per 1M (64 KB chunks); AWS service events to the default bus: free. */
    perCustomEvent: 1.0 / 1_000_000,
    /** https://aws.amazon.com/eventbridge/pricing/ — Pipes: $0.40 per 1M requests after filtering (64 KB chunks). */
    perPipeRequest: 0.4 / 1_000_000,
  },
  /** https://aws.amazon.com/cloudwatch/pricing/ — Logs, standard class, ingestion: $0.50 per GB (first tier of Lambda's vended-log tiers too). */
  logs: { perIngestedGb: 0.5 },
} as const;

export type PriceTable = typeof Prices;
