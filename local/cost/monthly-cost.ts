import type { Usage } from '../metering/usage.ts';
import { Prices, type PriceTable } from './prices.ts';

/** A month as AWS's pricing examples count it. */
export const DAYS_PER_MONTH = 30;

/** The bill's lines, in the order they are printed. */
export const CostItems = [
  'stepFunctions',
  'lambda',
  's3',
  'sqs',
  'sns',
  'dynamodb',
  'eventBridge',
  'logs',
] as const;
export type CostItem = (typeof CostItems)[number];

/** One line of the bill: what one file used, what a month uses, and its price. */
export interface CostLine {
  /** What one file used, in the line's billing units. */
  perFile: Record<string, number>;
  /** The same for a month of files. */
  monthly: Record<string, number>;
  usd: number;
}

export interface LambdaPricing {
  memoryMb: number;
  architecture: 'arm64' | 'x86_64';
}

export interface MonthlyCost {
  lines: Record<CostItem, CostLine>;
  /** Everything AWS bills for the pipeline, the database aside. */
  computeUsd: number;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Usage divided by a number of files: what one file costs, in each unit. */
function perFileUsage(usage: Usage, files: number) {
  const lambdaFns = Object.values(usage.lambda);
  const per = (n: number) => n / files;
  return {
    stepFunctions: {
      standardTransitions: per(usage.stepFunctions.standardTransitions),
      expressRequests: per(usage.stepFunctions.expressExecutions),
      expressBilledSeconds: per(usage.stepFunctions.expressBilledMs / 1000),
    },
    lambda: {
      invocations: per(sum(lambdaFns.map((f) => f.invocations))),
      billedSeconds: per(sum(lambdaFns.map((f) => f.billedMs)) / 1000),
    },
    s3: {
      writeOrListRequests: per(usage.s3.writeOrListRequests),
      readRequests: per(usage.s3.readRequests),
    },
    sqs: { requests: per(usage.sqs.requests) },
    sns: { publishes: per(usage.sns.publishes) },
    dynamodb: {
      writeRequestUnits: per(usage.dynamodb.writeRequestUnits),
      readRequestUnits: per(usage.dynamodb.readRequestUnits),
    },
    eventBridge: {
      customEvents: per(usage.eventBridge.customEvents),
      pipeRequests: per(usage.pipes.requests),
    },
    logs: { ingestedGb: per(usage.logs.ingestedBytes / 1e9) },
  } satisfies Record<CostItem, Record<string, number>>;
}

/**
 * The monthly bill of `filesPerDay` files a day, each doing what the measured files did on
 * average (`usage` over `measuredFiles`), at `prices`.
 */
export function monthlyCost(options: {
  usage: Usage;
  measuredFiles: number;
  filesPerDay: number;
  lambda: LambdaPricing;
  prices?: PriceTable;
}): MonthlyCost {
  const p = options.prices ?? Prices;
  const perFile = perFileUsage(options.usage, options.measuredFiles);
  const filesPerMonth = options.filesPerDay * DAYS_PER_MONTH;
  const monthlyOf = (units: Record<string, number>) =>
    Object.fromEntries(Object.entries(units).map(([k, v]) => [k, v * filesPerMonth]));
  const m = Object.fromEntries(CostItems.map((item) => [item, monthlyOf(perFile[item])])) as {
    [K in CostItem]: (typeof perFile)[K];
  };
  const lambdaGbSecondPrice =
    options.lambda.architecture === 'arm64' ? p.lambda.perArmGbSecond : p.lambda.perX86GbSecond;
  const usd: Record<CostItem, number> = {
    stepFunctions:
      m.stepFunctions.standardTransitions * p.stepFunctions.perStandardTransition +
      m.stepFunctions.expressRequests * p.stepFunctions.perExpressRequest +
      m.stepFunctions.expressBilledSeconds *
        p.stepFunctions.expressBilledMemoryGb *
        p.stepFunctions.perExpressGbSecond,
    lambda:
      m.lambda.invocations * p.lambda.perRequest +
      m.lambda.billedSeconds * (options.lambda.memoryMb / 1024) * lambdaGbSecondPrice,
    s3: m.s3.writeOrListRequests * p.s3.perWriteOrListRequest + m.s3.readRequests * p.s3.perReadRequest,
    sqs: m.sqs.requests * p.sqs.perRequest,
    sns: m.sns.publishes * p.sns.perPublish,
    dynamodb:
      m.dynamodb.writeRequestUnits * p.dynamodb.perWriteRequestUnit +
      m.dynamodb.readRequestUnits * p.dynamodb.perReadRequestUnit,
    eventBridge:
      m.eventBridge.customEvents * p.eventBridge.perCustomEvent +
      m.eventBridge.pipeRequests * p.eventBridge.perPipeRequest,
    logs: m.logs.ingestedGb * p.logs.perIngestedGb,
  };
  // Filled for every CostItem by the loop below.
  const lines = {} as Record<CostItem, CostLine>;
  for (const item of CostItems) lines[item] = { perFile: perFile[item], monthly: m[item], usd: usd[item] };
  return { lines, computeUsd: sum(CostItems.map((item) => usd[item])) };
}
