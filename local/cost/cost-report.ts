import { PipelineLambdaConfig } from '../../workflow/resource-names.ts';
import { plural } from '../cli/plural.ts';
import type { MeasuredRun } from './measure-run.ts';
import { CostItems, DAYS_PER_MONTH, monthlyCost, type CostItem } from './monthly-cost.ts';

/** What the bill is asked for. */
export interface CostInputs {
  filesPerDay: number;
  rowsPerFile: number;
  /** The database's monthly price, which is not metered. */
  databaseUsd: number;
}

/** `chute cost --json`: one object; `monthlyUsd.total` is the sum of every other `monthlyUsd` entry. */
export interface CostReport {
  inputs: CostInputs & {
    region: 'us-east-1';
    lambda: typeof PipelineLambdaConfig;
    /** Set when the files were too big to measure: the rows of the two files measured instead. */
    scaledFrom?: [number, number];
  };
  measured: {
    files: number;
    rowsPerFile: number;
    bytesPerFile: number;
    statuses: Record<string, number>;
    seconds: number;
    /** What one file used, in each item's billing units (before `scale`). */
    perFile: Record<CostItem, Record<string, number>>;
  };
  /** A month's quantities, in each item's billing units. */
  monthly: Record<CostItem, Record<string, number>>;
  monthlyUsd: Record<CostItem | 'database' | 'total', number>;
}

const round = (n: number, digits = 6) => Number(n.toFixed(digits));
/** Per-file figures keep six significant digits (a file logs some millionths of a GB). */
const significant = (n: number) => Number(n.toPrecision(6));
const roundAll = (units: Record<string, number>) =>
  Object.fromEntries(Object.entries(units).map(([k, v]) => [k, significant(v)]));

/** A record with an entry for every cost item. */
function byItem<T>(value: (item: CostItem) => T): Record<CostItem, T> {
  // Object.fromEntries types its keys string; they are exactly CostItems.
  return Object.fromEntries(CostItems.map((item) => [item, value(item)])) as Record<CostItem, T>;
}

/**
 * The bill for `inputs` from a measured run (or one extrapolated from two: `scaledFrom` names
 * their rows).
 */
export function costReport(run: MeasuredRun, inputs: CostInputs, scaledFrom?: [number, number]): CostReport {
  const measured = monthlyCost({
    usage: run.usage,
    measuredFiles: run.files,
    filesPerDay: 1,
    lambda: PipelineLambdaConfig,
  });
  const bill = monthlyCost({
    usage: run.usage,
    measuredFiles: run.files,
    filesPerDay: inputs.filesPerDay,
    lambda: PipelineLambdaConfig,
  });
  const items = byItem((item) => round(bill.lines[item].usd, 2));
  // Summed from the rounded items, so the total is their sum to the cent.
  const total = round(CostItems.reduce((sum, item) => sum + items[item], 0) + inputs.databaseUsd, 2);
  return {
    inputs: {
      ...inputs,
      region: 'us-east-1',
      lambda: PipelineLambdaConfig,
      ...(scaledFrom ? { scaledFrom } : {}),
    },
    measured: {
      files: run.files,
      rowsPerFile: run.rowsPerFile,
      bytesPerFile: run.bytesPerFile,
      statuses: run.statuses,
      seconds: run.seconds,
      perFile: byItem((item) => roundAll(measured.lines[item].perFile)),
    },
    monthly: byItem((item) => roundAll(bill.lines[item].monthly)),
    monthlyUsd: { ...items, database: inputs.databaseUsd, total },
  };
}

const ItemNames: Record<CostItem, string> = {
  stepFunctions: 'Step Functions',
  lambda: 'Lambda',
  s3: 'S3 requests',
  sqs: 'SQS',
  sns: 'SNS',
  dynamodb: 'DynamoDB',
  eventBridge: 'EventBridge, Pipes',
  logs: 'CloudWatch Logs',
};

const UnitNames: Record<string, string> = {
  standardTransitions: 'transitions',
  expressRequests: 'Express runs',
  expressBilledSeconds: 'Express s',
  invocations: 'invocations',
  billedSeconds: 's',
  writeOrListRequests: 'PUT/LIST',
  readRequests: 'GET',
  requests: 'requests',
  publishes: 'publishes',
  writeRequestUnits: 'WRU',
  readRequestUnits: 'RRU',
  customEvents: 'custom events',
  pipeRequests: 'Pipes requests',
  ingestedGb: 'GB',
};

function quantity(n: number): string {
  if (n === 0) return '0';
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (n >= 100) return n.toFixed(0);
  return n.toPrecision(3).replace(/\.?0+$/, '');
}

const describe = (units: Record<string, number>) =>
  Object.entries(units)
    .filter(([, n]) => n !== 0)
    .map(([unit, n]) => `${quantity(n)} ${UnitNames[unit] ?? unit}`)
    .join(', ') || '0';

const usd = (n: number) =>
  `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The bill as a table for people: per item, what one file used, what a month uses, and its price. */
export function costTable(report: CostReport): string {
  const { inputs, measured } = report;
  const rows = CostItems.map((item) => [
    ItemNames[item],
    describe(measured.perFile[item]),
    describe(report.monthly[item]),
    usd(report.monthlyUsd[item]),
  ]);
  rows.push(['Database (not metered: --database-usd)', '', '', usd(report.monthlyUsd.database)]);
  const header = ['', 'per file', `per month (${DAYS_PER_MONTH} days)`, 'USD/month'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const compute = report.monthlyUsd.total - report.monthlyUsd.database;
  const scaled = inputs.scaledFrom
    ? ` (scaled per row from measured ${inputs.scaledFrom.map((n) => n.toLocaleString('en-US')).join('- and ')}-row files)`
    : '';
  return [
    `${inputs.filesPerDay.toLocaleString('en-US')} files a day of ${inputs.rowsPerFile.toLocaleString('en-US')} rows${scaled}, AWS list prices, us-east-1, no free tier`,
    `${inputs.scaledFrom ? 'Extrapolated' : 'Measured'}: ${plural(measured.files, 'file')} of ${measured.rowsPerFile.toLocaleString('en-US')} rows (${measured.bytesPerFile.toLocaleString('en-US')} bytes each) in ${measured.seconds.toFixed(1)} s; ledger ${Object.entries(
      measured.statuses,
    )
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}`,
    '',
    line(header),
    ...rows.map(line),
    line(['AWS, the database aside', '', '', usd(compute)]),
    line(['Total', '', '', usd(report.monthlyUsd.total)]),
    '',
    `Lambda at ${inputs.lambda.memoryMb} MB ${inputs.lambda.architecture}; Express executions at the 64 MB minimum; Lambda and Express durations as measured on this machine.`,
  ].join('\n');
}
