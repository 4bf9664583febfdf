import { InvalidArgumentError, type Command } from 'commander';
import { Batching } from '../../../workflow/batching.ts';
import { costReport, costTable } from '../../cost/cost-report.ts';
import { extrapolateRun } from '../../cost/extrapolate-usage.ts';
import { measureRun, type MeasuredRun } from '../../cost/measure-run.ts';
import { sampleBytesPerRow } from '../../cost/sample-files.ts';

/**
 * The seed's database bill: the database is sized by the data kept and queried, not by the
 * pipeline, so it is not metered; the seed's figure keeps the total comparable with its $520.
 */
const SEED_DATABASE_USD = 420;
/** The biggest file measured: bigger ones are extrapolated from files of this size and a tenth of it. */
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
      'the size of each file, instead of --rows-per-file (rows = bytes / bytes per row)',
      positiveInteger,
    )
    .option(
      '--sample-files <n>',
      `files uploaded at once for the measured run (default ${2 * Batching.filesPerExecution}, two batches)`,
      positiveInteger,
    )
    .option(
      '--max-measured-rows <n>',
      'bigger files are extrapolated from one file of this many rows and one of a tenth',
      positiveInteger,
      MAX_MEASURED_ROWS,
    )
    .option(
      '--database-usd <n>',
      "the database per month, not metered (the default is the seed's)",
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
  $ chute cost --files-per-day 1 --file-bytes 1000000000     # one 1 GB file a day, extrapolated
  $ chute cost --json --sample-files 20 --database-usd 0`,
    )
    .action(async (options: CostOptions) => {
      const rowsPerFile = options.fileBytes
        ? Math.max(1, Math.round(options.fileBytes / sampleBytesPerRow()))
        : options.rowsPerFile;
      const databaseUrl = process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {};
      const inputs = { filesPerDay: options.filesPerDay, rowsPerFile, databaseUsd: options.databaseUsd };
      let report;
      if (rowsPerFile > options.maxMeasuredRows) {
        const sizes: [number, number] = [Math.ceil(options.maxMeasuredRows / 10), options.maxMeasuredRows];
        const runs: MeasuredRun[] = [];
        for (const rows of sizes)
          runs.push(await measureRun({ files: 1, rowsPerFile: rows, ...databaseUrl }));
        report = costReport(extrapolateRun(runs[0]!, runs[1]!, rowsPerFile), inputs, sizes);
      } else {
        const files = options.sampleFiles ?? 2 * Batching.filesPerExecution;
        report = costReport(await measureRun({ files, rowsPerFile, ...databaseUrl }), inputs);
      }
      console.log(options.json ? JSON.stringify(report) : costTable(report));
    });
}
