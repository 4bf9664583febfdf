import { describe, expect, it } from '@jest/globals';
import { costReport } from '../../../local/cost/cost-report.ts';
import { monthlyCost, type CostItem, type LambdaPricing } from '../../../local/cost/monthly-cost.ts';
import { emptyUsage, type Usage } from '../../../local/metering/usage.ts';

const arm1GB: LambdaPricing = { memoryMb: 1024, architecture: 'arm64' };

/** The bill of exactly `usage` in a month: 30 measured files, one file a day. */
function billOf(fill: (usage: Usage) => void, lambda = arm1GB) {
  const usage = emptyUsage();
  fill(usage);
  return monthlyCost({ usage, measuredFiles: 30, filesPerDay: 1, lambda });
}

// Each expectation is worked out by hand from the us-east-1 list prices in local/cost/prices.ts.
describe('monthlyCost prices each item as AWS bills it', () => {
  // Every row names its Lambda pricing: jest passes a `done` callback for a missing last argument.
  it.each<[string, CostItem, (u: Usage) => void, number, LambdaPricing]>([
    [
      '1,000,000 state transitions: $0.025 per 1,000',
      'stepFunctions',
      (u) => (u.stepFunctions.standardTransitions = 1e6),
      25,
      arm1GB,
    ],
    [
      '1,000,000 Express requests: $1.00 per million',
      'stepFunctions',
      (u) => (u.stepFunctions.expressExecutions = 1e6),
      1,
      arm1GB,
    ],
    [
      '1,000,000 Express seconds at 64 MB: 62,500 GB-s at $0.00001667',
      'stepFunctions',
      (u) => (u.stepFunctions.expressBilledMs = 1e9),
      1.041875,
      arm1GB,
    ],
    [
      '1,000,000 invocations: $0.20 per million',
      'lambda',
      (u) => (u.lambda.f = { invocations: 1e6, durationMs: 0, billedMs: 0 }),
      0.2,
      arm1GB,
    ],
    [
      '1,000,000 s at 1024 MB arm64: 1,000,000 GB-s at $0.0000133334',
      'lambda',
      (u) => (u.lambda.f = { invocations: 0, durationMs: 1e9, billedMs: 1e9 }),
      13.3334,
      arm1GB,
    ],
    [
      '1,000,000 s at 512 MB x86: 500,000 GB-s at $0.0000166667',
      'lambda',
      (u) => (u.lambda.f = { invocations: 0, durationMs: 1e9, billedMs: 1e9 }),
      8.33335,
      { memoryMb: 512, architecture: 'x86_64' },
    ],
    ['1,000 PUTs: $0.005 per 1,000', 's3', (u) => (u.s3.writeOrListRequests = 1000), 0.005, arm1GB],
    ['1,000 GETs: $0.0004 per 1,000', 's3', (u) => (u.s3.readRequests = 1000), 0.0004, arm1GB],
    ['1,000,000 SQS requests: $0.40', 'sqs', (u) => (u.sqs.requests = 1e6), 0.4, arm1GB],
    ['1,000,000 SNS publishes: $0.50', 'sns', (u) => (u.sns.publishes = 1e6), 0.5, arm1GB],
    ['1,000,000 write units: $0.625', 'dynamodb', (u) => (u.dynamodb.writeRequestUnits = 1e6), 0.625, arm1GB],
    ['1,000,000 read units: $0.125', 'dynamodb', (u) => (u.dynamodb.readRequestUnits = 1e6), 0.125, arm1GB],
    ['1,000,000 custom events: $1.00', 'eventBridge', (u) => (u.eventBridge.customEvents = 1e6), 1, arm1GB],
    ['AWS service events are free', 'eventBridge', (u) => (u.eventBridge.awsServiceEvents = 1e6), 0, arm1GB],
    ['1,000,000 Pipes requests: $0.40', 'eventBridge', (u) => (u.pipes.requests = 1e6), 0.4, arm1GB],
    ['1 GB of logs: $0.50', 'logs', (u) => (u.logs.ingestedBytes = 1e9), 0.5, arm1GB],
  ])('%s', (_name, item, fill, usd, lambda) => {
    // Act
    const bill = billOf(fill, lambda);
    // Assess
    expect(bill.lines[item].usd).toBeCloseTo(usd, 9);
    expect(bill.computeUsd).toBeCloseTo(usd, 9);
  });

  it('scales per-file usage to files a day over 30 days', () => {
    // Prepare: two files measured, 20 transitions between them.
    const usage = emptyUsage();
    usage.stepFunctions.standardTransitions = 20;
    // Act
    const bill = monthlyCost({ usage, measuredFiles: 2, filesPerDay: 100_000, lambda: arm1GB });
    // Assess: 10 a file × 100,000 × 30 = 30,000,000 transitions = $750.
    expect(bill.lines.stepFunctions.perFile.standardTransitions).toBe(10);
    expect(bill.lines.stepFunctions.monthly.standardTransitions).toBe(30_000_000);
    expect(bill.lines.stepFunctions.usd).toBeCloseTo(750, 9);
  });
});

describe('costReport', () => {
  const run = (usage: Usage) => ({
    usage,
    files: 2,
    rowsPerFile: 100,
    bytesPerFile: 15_000,
    statuses: { SUCCEEDED: 2 },
    seconds: 1,
  });

  it('adds the database to a total that is the sum of every item', () => {
    // Prepare
    const usage = emptyUsage();
    usage.stepFunctions.standardTransitions = 20;
    usage.sns.publishes = 2;
    // Act
    const report = costReport(run(usage), { filesPerDay: 100_000, rowsPerFile: 100, databaseUsd: 420 });
    // Assess: $750 of transitions, $1.50 of publishes, $420 of database.
    const { total, ...items } = report.monthlyUsd;
    expect(report.monthlyUsd.stepFunctions).toBe(750);
    expect(report.monthlyUsd.sns).toBe(1.5);
    expect(total).toBe(1171.5);
    expect(total).toBeCloseTo(
      Object.values(items).reduce((a, b) => a + b, 0),
      9,
    );
  });
});
