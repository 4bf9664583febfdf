import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type pg from 'pg';
import { createPool } from '../../../functions/shared/db.ts';
import { summariseFile } from '../../../functions/notify/notify.ts';
import { Batching } from '../../../workflow/batching.ts';
import { datasets } from '../../../workflow/datasets/index.ts';
import { ledgerItemOf } from '../../../workflow/ledger-item.ts';
import { FileFormats } from '../../../workflow/resource-names.ts';
import type { AwsClients } from '../../services/aws-clients.ts';
import { objectCreatedEvent } from '../../services/s3-events.ts';
import { sqsRecordOfBody } from '../../services/sqs-records.ts';
import { PART_BYTES, uploadFile } from '../../services/upload-file.ts';
import { CliError } from '../cli-error.ts';
import { fileEtag } from '../file-etag.ts';
import { startLocalPipeline, type RunningPipeline } from '../local-pipeline.ts';
import { plural } from '../plural.ts';
import { waitForRun } from '../wait-for-file.ts';

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

/** A file uploaded (or found in the ledger) and, unless the ledger had it, the event S3 sent for it. */
interface UploadedFile {
  file: string;
  dataset: string;
  key: string;
  fileId: string;
  started: number;
  earlier?: LedgerEntry;
  upload?: ReturnType<typeof objectCreatedEvent>;
}

/**
 * Uploads one file, unless the ledger already has its content (the upload would only end
 * `AlreadyClaimed`): then its earlier run is what is reported, unless `--again` clears the ledger
 * entry first.
 */
async function uploadRunFile(
  file: string,
  { cloud, pipeline }: RunningPipeline,
  options: RunOptions,
): Promise<UploadedFile> {
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
  if (earlier) return { file, dataset, key, fileId: expectedId, started, earlier };
  await uploadFile(cloud.clients.s3, pipeline.bucket, key, file);
  const head = await cloud.clients.s3.send(new HeadObjectCommand({ Bucket: pipeline.bucket, Key: key }));
  const size = head.ContentLength ?? 0;
  const upload = objectCreatedEvent(
    {
      bucket: pipeline.bucket,
      key,
      size,
      etag: head.ETag ?? '',
      // lib-storage sends one PutObject up to a part's size, a multipart upload above it.
      reason: size > PART_BYTES ? 'CompleteMultipartUpload' : 'PutObject',
      requestId: randomUUID(),
    },
    cloud.account,
  );
  return {
    file,
    dataset,
    key,
    fileId: `s3://${pipeline.bucket}/${key}#${upload.detail.object.etag}`,
    started,
    upload,
  };
}

/** Runs of consecutive files of one dataset: `a.json b.json c.csv` → `[a.json b.json] [c.csv]`. */
function consecutiveByDataset(files: UploadedFile[]): UploadedFile[][] {
  const groups: UploadedFile[][] = [];
  for (const file of files) {
    const last = groups.at(-1);
    if (last && last[0]!.dataset === file.dataset) last.push(file);
    else groups.push([file]);
  }
  return groups;
}

/**
 * Starts the executions the upload rules and the pipe would have started, without waiting out a
 * batching window: one per big file, and two or more small files together, `Batching.filesPerExecution`
 * to an execution whose input is what the pipe gives (a JSON array of SQS records whose bodies are
 * the S3 events). Returns each file's execution ARN and whether it shares it with others.
 */
async function startExecutions(
  files: UploadedFile[],
  { cloud, pipeline }: RunningPipeline,
): Promise<Map<UploadedFile, { executionArn: string; batch: boolean }>> {
  const started = new Map<UploadedFile, { executionArn: string; batch: boolean }>();
  const start = async (input: unknown) => {
    const { executionArn } = await cloud.clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn: pipeline.stateMachineArn, input: JSON.stringify(input) }),
    );
    return executionArn!;
  };
  const toRun = files.filter((file) => file.upload);
  const smallFiles = toRun.filter((file) => file.upload!.detail.object.size <= Batching.smallFileMaxBytes);
  // One small file alone gains nothing from a batch: it runs as a big one does.
  const small = smallFiles.length > 1 ? smallFiles : [];
  for (const file of toRun.filter((file) => !small.includes(file)))
    started.set(file, { executionArn: await start(file.upload), batch: false });
  const queue = { ...pipeline.bufferQueue, region: cloud.account.region, accountId: cloud.account.accountId };
  for (let i = 0; i < small.length; i += Batching.filesPerExecution) {
    const batch = small.slice(i, i + Batching.filesPerExecution);
    const executionArn = await start(
      batch.map((file) => sqsRecordOfBody(JSON.stringify(file.upload), queue)),
    );
    for (const file of batch) started.set(file, { executionArn, batch: true });
  }
  return started;
}

/**
 * Follows a file's execution to its end and reports the file. A file in a batch execution takes
 * its own outcome from the ledger (one bad file fails alone); the execution's otherwise.
 */
async function reportFile(
  uploaded: UploadedFile,
  execution: { executionArn: string; batch: boolean } | undefined,
  { cloud, pipeline }: RunningPipeline,
  pool: pg.Pool,
  options: RunOptions,
): Promise<FileReport> {
  const { file, dataset, key, fileId, started, earlier } = uploaded;
  const executionArn = earlier?.executionArn ?? execution!.executionArn;
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
  const ledger = execution?.batch
    ? await ledgerEntry(cloud.clients, pipeline.ledgerTable, fileId)
    : undefined;
  const status = ledger && ledger.status !== 'RUNNING' ? ledger.status : run.status;
  const summary = await summariseFile(
    {
      file: { id: fileId, bucket: pipeline.bucket, key },
      dataset,
      executionArn,
      startedAt: new Date(started).toISOString(),
      status: status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
    },
    datasets[dataset],
    pool,
    new Date(),
  );
  return {
    file,
    key,
    status,
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
      // No upload rules and no pipe: this command starts the executions itself (startExecutions).
      const running = await startLocalPipeline({
        port: 0,
        data: options.data,
        routing: { startOnUpload: false },
      });
      const pool = createPool(running.pipeline.databaseUrl, 2);
      let failed = false;
      try {
        const uploaded: UploadedFile[] = [];
        for (const file of files) uploaded.push(await uploadRunFile(file, running, options));
        // In the order given (customers before the orders enriched from them), a dataset's
        // consecutive files together.
        for (const group of consecutiveByDataset(uploaded)) {
          const executions = await startExecutions(group, running);
          for (const file of group) {
            const report = await reportFile(file, executions.get(file), running, pool, options);
            if (report.status !== 'SUCCEEDED') failed = true;
            if (options.json) console.log(JSON.stringify(report));
            else print(report);
          }
        }
      } finally {
        await pool.end();
        await running.close();
      }
      process.exitCode = failed ? 1 : 0;
    });
}
