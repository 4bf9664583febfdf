import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { createPool } from '../../../functions/shared/db.ts';
import { summariseFile } from '../../../functions/notify/notify.ts';
import { datasets } from '../../../workflow/datasets/index.ts';
import { FileFormats } from '../../../workflow/resource-names.ts';
import { uploadFile } from '../../services/upload-file.ts';
import { startLocalPipeline } from '../local-pipeline.ts';
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
  console.log(`${report.file}: ${report.status}`);
  console.log(`  loaded    ${report.loaded} rows${report.table ? ` into ${report.table}` : ''}`);
  console.log(
    `  rejected  ${report.rejected}${
      report.rejected
        ? ` (${Object.entries(report.rejectedByReason)
            .map(([r, n]) => `${r} ×${n}`)
            .join(', ')}) — see the rejects table`
        : ''
    }`,
  );
  if (report.failedBatches)
    console.log(`  failed    ${report.failedBatches} batches (dead-letter queue: chute dlq list)`);
  if (report.error) console.log(`  error     ${report.error}: ${report.cause ?? ''}`);
  console.log(`  took      ${report.durationSeconds} s`);
  console.log(`  execution ${report.executionArn}`);
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
    .action(async (files: string[], options: { dataset?: string; data: string; json?: boolean }) => {
      for (const file of files) {
        const suffix = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
        if (!(suffix in FileFormats))
          throw new Error(`${file}: only .csv, .json and .jsonl files are ingested`);
        statSync(file);
      }
      const { cloud, pipeline, close } = await startLocalPipeline({ port: 0, data: options.data });
      const pool = createPool(pipeline.databaseUrl, 2);
      let failed = false;
      try {
        for (const file of files) {
          const dataset = options.dataset ?? datasetOfFile(file) ?? basename(file).replace(/\.[^.]+$/, '');
          const key = `input/${dataset}/${basename(file)}`;
          const started = Date.now();
          await uploadFile(cloud.clients.s3, pipeline.bucket, key, file);
          const head = await cloud.clients.s3.send(
            new HeadObjectCommand({ Bucket: pipeline.bucket, Key: key }),
          );
          const etag = (head.ETag ?? '').replaceAll('"', '');
          const fileId = `s3://${pipeline.bucket}/${key}#${etag}`;
          const executionArn = await executionOfFile(cloud.clients, pipeline.ledgerTable, fileId);
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
          const report: FileReport = {
            file,
            key,
            status: run.status,
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
          if (run.status !== 'SUCCEEDED') failed = true;
          if (options.json) console.log(JSON.stringify(report));
          else print(report);
        }
      } finally {
        await pool.end();
        await close();
      }
      process.exitCode = failed ? 1 : 0;
    });
}
