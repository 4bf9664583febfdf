import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type pg from 'pg';
import { createPool } from '../../../functions/shared/db.ts';
import { summariseFile } from '../../../functions/notify/notify.ts';
import { datasets } from '../../../workflow/datasets/index.ts';
import { ledgerItemOf } from '../../../workflow/ledger-item.ts';
import { FileFormats } from '../../../workflow/resource-names.ts';
import type { AwsClients } from '../../services/aws-clients.ts';
import { uploadFile } from '../../services/upload-file.ts';
import { CliError } from '../cli-error.ts';
import { fileEtag } from '../file-etag.ts';
import { startLocalPipeline, type RunningPipeline } from '../local-pipeline.ts';
import { plural } from '../plural.ts';
import { executionOfFile, waitForRun } from '../wait-for-file.ts';

/** `orders.csv`, `orders-2026-11.csv` → `orders`: the dataset a file names, if it names one. */
export function datasetOfFile(path: string): string | undefined {
  const name = basename(path).toLowerCase();
  return Object.keys(datasets).find(
    (dataset) =>
      name === dataset ||
      name.startsWith(`${dataset}.`) ||
      name.startsWith(`${dataset}-`) ||
      name.startsWith(`${dataset}_`),
  );
}

interface FileReport {
  file: string;
  key: string;
  status: string;
  /** Set when the ledger already had this file: the earlier run is what is reported. */
  alreadyLoaded?: { at: string; status: string };
  loaded: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  failedBatches: number;
  durationSeconds: number;
  executionArn: string;
  table: string | null;
  error?: string;
  cause?: string;
}

function print(report: FileReport): void {
  const earlier = report.alreadyLoaded;
  console.log(
    earlier
      ? `${report.file}: already loaded (same content) on ${earlier.at}, ${earlier.status} — not run again`
      : `${report.file}: ${report.status}`,
  );
  console.log(`  loaded    ${plural(report.loaded, 'row')}${report.table ? ` into ${report.table}` : ''}`);
  console.log(
    `  rejected  ${plural(report.rejected, 'row')}${
      report.rejected
        ? ` (${Object.entries(report.rejectedByReason)
            .map(([r, n]) => `${r} ×${n}`)
            .join(', ')}) — see the rejects table`
        : ''
    }`,
  );
  if (report.failedBatches)
    console.log(
      `  failed    ${plural(report.failedBatches, 'batch', 'batches')} (dead-letter queue: chute dlq list)`,
    );
  if (report.error) console.log(`  error     ${report.error}: ${report.cause ?? ''}`);
  if (!earlier) console.log(`  took      ${report.durationSeconds} s`);
  console.log(`  execution ${report.executionArn}`);
  if (earlier) console.log(`  again     chute run --again ${report.file}   (loads it once more)`);
}

/** Refuses, with one line each, what cannot be a pipeline input: before anything starts. */
function checkInputFile(file: string): void {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new CliError(`${file}: no such file`);
  }
  if (stats.isDirectory())
    throw new CliError(`${file} is a directory: name the files in it (e.g. ${file}/*.csv)`);
  const suffix = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  if (!(suffix in FileFormats) || !file.includes('.'))
    throw new CliError(`${file}: only .csv, .json and .jsonl files are ingested (the suffix says which)`);
}

interface LedgerEntry {
  executionArn: string;
  status: string;
  startedAt: string;
}

async function ledgerEntry(clients: AwsClients, table: string, fileId: string) {
  const { Item } = await clients.dynamodb.send(
    new GetItemCommand({ TableName: table, Key: marshall({ pk: fileId }), ConsistentRead: true }),
  );
  const entry = Item && ledgerItemOf(Item);
  if (!entry?.executionArn) return undefined;
  return {
    executionArn: entry.executionArn,
    status: entry.status ?? 'UNKNOWN',
    startedAt: entry.startedAt ?? '?',
  } satisfies LedgerEntry;
}

interface RunOptions {
  dataset?: string;
  data: string;
  json?: boolean;
  again?: boolean;
}

/**
 * Runs one file on the started local pipeline and reports it. A file whose content the ledger
 * already has is not run again (the upload would only end `AlreadyClaimed`): its earlier run is
 * reported as such, unless `--again` clears the ledger entry first.
 */
async function runFile(
  file: string,
  { cloud, pipeline }: RunningPipeline,
  pool: pg.Pool,
  options: RunOptions,
): Promise<FileReport> {
  const dataset = options.dataset ?? datasetOfFile(file) ?? basename(file).replace(/\.[^.]+$/, '');
  const key = `input/${dataset}/${basename(file)}`;
  const started = Date.now();
  const expectedId = `s3://${pipeline.bucket}/${key}#${await fileEtag(file)}`;
  let earlier = await ledgerEntry(cloud.clients, pipeline.ledgerTable, expectedId);
  if (earlier && options.again) {
    await cloud.clients.dynamodb.send(
      new DeleteItemCommand({ TableName: pipeline.ledgerTable, Key: marshall({ pk: expectedId }) }),
    );
    earlier = undefined;
  }
  let fileId = expectedId;
  if (!earlier) {
    await uploadFile(cloud.clients.s3, pipeline.bucket, key, file);
    const head = await cloud.clients.s3.send(new HeadObjectCommand({ Bucket: pipeline.bucket, Key: key }));
    fileId = `s3://${pipeline.bucket}/${key}#${(head.ETag ?? '').replaceAll('"', '')}`;
  }
  const executionArn =
    earlier?.executionArn ?? (await executionOfFile(cloud.clients, pipeline.ledgerTable, fileId));
  const bar =
    !options.json && process.stdout.isTTY
      ? new SingleBar(
          { format: `${basename(file)} [{bar}] {value}/{total} rows`, hideCursor: true },
          Presets.shades_classic,
        )
      : undefined;
  bar?.start(1, 0);
  const run = await waitForRun(cloud.clients, executionArn, (progress) => {
    if (progress.itemsTotal) bar?.setTotal(progress.itemsTotal);
    bar?.update(progress.itemsDone);
  });
  bar?.stop();
  const summary = await summariseFile(
    {
      file: { id: fileId, bucket: pipeline.bucket, key },
      dataset,
      executionArn,
      startedAt: new Date(started).toISOString(),
      status: run.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
    },
    datasets[dataset],
    pool,
    new Date(),
  );
  return {
    file,
    key,
    status: run.status,
    ...(earlier ? { alreadyLoaded: { at: earlier.startedAt, status: run.status } } : {}),
    loaded: summary.loaded,
    rejected: summary.rejected,
    rejectedByReason: summary.rejectedByReason,
    failedBatches: run.failedBatches,
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    executionArn,
    table: datasets[dataset]?.table ?? null,
    ...(run.error ? { error: run.error } : {}),
    ...(run.cause ? { cause: run.cause } : {}),
  };
}

/** `chute run FILE…`: the main job, on a local cloud started for the occasion. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run files through the whole pipeline on a local cloud and report what was loaded')
    .argument('<files...>', 'CSV, JSON or JSONL files')
    .option('--dataset <name>', 'the dataset (default: from the file name, e.g. orders.csv → orders)')
    .option('--data <dir>', 'where the local cloud keeps its state', '.chute')
    .option('--json', 'print one JSON object per file')
    .option('--again', 'load a file the ledger already has once more (its rows are upserted, not duplicated)')
    .addHelpText(
      'after',
      `
Examples:
  $ chute run samples/customers.json samples/orders.csv
  $ chute run --json data/orders-2026-11.csv          # dataset from the name: orders
  $ chute run --dataset logs ./today.jsonl
  $ chute run --again samples/orders.csv              # the ledger has it: load it again`,
    )
    .action(async (files: string[], options: RunOptions) => {
      files.forEach(checkInputFile);
      const running = await startLocalPipeline({ port: 0, data: options.data });
      const pool = createPool(running.pipeline.databaseUrl, 2);
      let failed = false;
      try {
        for (const file of files) {
          const report = await runFile(file, running, pool, options);
          if (report.status !== 'SUCCEEDED') failed = true;
          if (options.json) console.log(JSON.stringify(report));
          else print(report);
        }
      } finally {
        await pool.end();
        await running.close();
      }
      process.exitCode = failed ? 1 : 0;
    });
}
