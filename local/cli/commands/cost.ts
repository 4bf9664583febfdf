import { InvalidArgumentError, type Command } from 'commander';
import { Batching } from '../../../workflow/batching.ts';
import { costReport, costTable } from '../../cost/cost-report.ts';
import { measureRun } from '../../cost/measure-run.ts';
import { sampleBytesPerRow } from '../../cost/sample-files.ts';

/**
 * The seed's database bill: the database is sized by the data kept and queried, not by the
 * pipeline, so it is not metered; the seed's figure keeps the total comparable with its $520.
 */
const SEED_DATABASE_USD = 420;
/** The biggest file measured: bigger ones are measured at this size and scaled per row. */
const MAX_MEASURED_ROWS = 10_000;

const positiveInteger = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return n;
};
const dollars = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected an amount of 0 or more');
  return n;
};

interface CostOptions {
  filesPerDay: number;
  rowsPerFile: number;
  fileBytes?: number;
  sampleFiles?: number;
  maxMeasuredRows: number;
  databaseUsd: number;
  json?: boolean;
}

/** `chute cost`: the monthly AWS bill, from a measured local run scaled to a workload. */
export function registerCost(program: Command): void {
  program
    .command('cost')
    .description(
      'Estimate the monthly AWS bill of a workload from what a local run of sample files actually did',
    )
    .option('--files-per-day <n>', 'files uploaded a day', positiveInteger, 100_000)
    .option('--rows-per-file <n>', 'rows in each file', positiveInteger, 300)
    .option(
      '--file-bytes <n>',
      'the size of each file instead of its rows (rows = bytes / bytes per row)',
      positiveInteger,
    )
    .option(
      '--sample-files <n>',
      `files uploaded at once for the measured run (default ${2 * Batching.filesPerExecution}; 1 when files are scaled)`,
      positiveInteger,
    )
    .option(
      '--max-measured-rows <n>',
      'bigger files are measured at this many rows and scaled per row',
      positiveInteger,
      MAX_MEASURED_ROWS,
    )
    .option(
      '--database-usd <n>',
      "the database per month (not metered; default the seed's)",
      dollars,
      SEED_DATABASE_USD,
    )
    .option('--json', 'print one JSON object (monthlyUsd in US dollars)')
    .addHelpText(
      'after',
      `
Starts a fresh local cloud in a temporary directory, uploads the sample files through S3 as a
user would, waits until every one is in the ledger, and prices what the services counted
(state transitions, Express and Lambda durations, S3/SQS/SNS/DynamoDB/EventBridge requests,
log bytes) at AWS list prices for us-east-1 (local/cost/prices.ts), with no free tier.
PostgreSQL: DATABASE_URL, else an embedded one in the temporary directory.

Examples:
  $ chute cost --files-per-day 100000 --rows-per-file 300
  $ chute cost --files-per-day 1 --file-bytes 1000000000     # one 1 GB file a day, scaled per row
  $ chute cost --json --sample-files 20 --database-usd 0`,
    )
    .action(async (options: CostOptions) => {
      const rowsPerFile = options.fileBytes
        ? Math.max(1, Math.round(options.fileBytes / sampleBytesPerRow()))
        : options.rowsPerFile;
      const scaled = rowsPerFile > options.maxMeasuredRows;
      const run = await measureRun({
        files: options.sampleFiles ?? (scaled ? 1 : 2 * Batching.filesPerExecution),
        rowsPerFile: scaled ? options.maxMeasuredRows : rowsPerFile,
        ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
      });
      const report = costReport(run, {
        filesPerDay: options.filesPerDay,
        rowsPerFile,
        databaseUsd: options.databaseUsd,
      });
      console.log(options.json ? JSON.stringify(report) : costTable(report));
    });
}
