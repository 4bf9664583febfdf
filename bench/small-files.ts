// `npm run bench:small-files`: the seed's workload in miniature. 10,000 customers JSON files of
// ~50 KB (300 rows) uploaded at a steady rate into the local cloud, twice: every file its own
// execution (per-file), then small files batched through SQS and EventBridge Pipes (batched).
// Per mode: files/s from the first upload to the last file loaded, the lag from each upload to its
// file's ledger entry closing (p50, p95), and the peak RSS of this process (the whole local stack
// but PostgreSQL, which runs as its own process).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { startLocalCloud } from '../local/services/cloud.ts';
import { deployPipeline } from '../local/stack.ts';
import { Batching } from '../workflow/batching.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { machineLine, table } from './support/format.ts';

const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const ROWS_PER_FILE = Number(process.env.BENCH_ROWS_PER_FILE ?? 300);
const FILES_PER_SECOND = Number(process.env.BENCH_RATE ?? 100);
const MODES = (process.env.BENCH_MODES ?? 'per-file,batched').split(',') as Mode[];
type Mode = 'per-file' | 'batched';

/** One customers file: distinct ids per file, ~170 bytes a row. */
function customersFile(file: number): string {
  const rows = Array.from({ length: ROWS_PER_FILE }, (_, i) => ({
    customer_id: `C-${file}-${i}`,
    name: `Customer ${file} ${i}`,
    email: `customer.${file}.${i}@example.com`,
    country: 'GB',
    region: 'Europe',
    signed_up_on: '2024-03-01',
  }));
  return JSON.stringify(rows);
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Closed ledger entries (`finishedAt` set), by file id. */
async function finishedFiles(
  cloud: Awaited<ReturnType<typeof startLocalCloud>>,
  table: string,
): Promise<Map<string, { status: string; finishedAt: number }>> {
  const done = new Map<string, { status: string; finishedAt: number }>();
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await cloud.clients.dynamodb.send(
      new ScanCommand({
        TableName: table,
        ExclusiveStartKey,
        FilterExpression: 'attribute_exists(finishedAt)',
      }),
    );
    for (const item of page.Items ?? [])
      done.set(item.pk!.S!, { status: item.status!.S!, finishedAt: Date.parse(item.finishedAt!.S!) });
    ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
  } while (ExclusiveStartKey);
  return done;
}

async function runMode(mode: Mode) {
  peakRss = 0;
  const dir = await mkdtemp(join(tmpdir(), `chute-bench-small-${mode}-`));
  const db = await createBenchDatabase();
  const cloud = await startLocalCloud({ port: 0, dataDir: join(dir, 'cloud'), timeScale: 0 });
  const deployed = await deployPipeline(cloud, {
    dataDir: join(dir, 'cloud'),
    databaseUrl: db.url,
    batching:
      mode === 'batched'
        ? { filesPerExecution: Batching.filesPerExecution, windowSeconds: Batching.windowSeconds }
        : false,
  });
  try {
    const uploadedAt = new Map<string, number>();
    const bytes = Buffer.byteLength(customersFile(0));
    const start = performance.now();
    const startEpoch = Date.now();
    for (let i = 0; i < FILES; i++) {
      // A steady rate: file i leaves at start + i / rate.
      const due = start + (i / FILES_PER_SECOND) * 1000;
      if (due > performance.now()) await sleep(due - performance.now());
      const key = `input/customers/bench-${String(i).padStart(5, '0')}.json`;
      const put = await cloud.clients.s3.send(
        new PutObjectCommand({
          Bucket: deployed.bucket,
          Key: key,
          Body: customersFile(i),
          ContentType: 'application/json',
        }),
      );
      uploadedAt.set(`s3://${deployed.bucket}/${key}#${put.ETag!.replaceAll('"', '')}`, Date.now());
    }
    const uploadSeconds = (performance.now() - start) / 1000;
    let done = await finishedFiles(cloud, deployed.ledgerTable);
    while (done.size < FILES) {
      await sleep(2000);
      done = await finishedFiles(cloud, deployed.ledgerTable);
    }
    const lags = [...uploadedAt].map(([id, at]) => done.get(id)!.finishedAt - at).sort((a, b) => a - b);
    const lastFinished = Math.max(...[...done.values()].map((d) => d.finishedAt));
    const failed = [...done.values()].filter((d) => d.status !== 'SUCCEEDED').length;
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM customers');
    await client.end();
    const loaded = Number(rows[0]!.n);
    if (failed || loaded !== FILES * ROWS_PER_FILE)
      throw new Error(
        `${mode}: ${failed} files not SUCCEEDED, ${loaded} of ${FILES * ROWS_PER_FILE} rows loaded`,
      );
    return {
      mode,
      bytes,
      uploadSeconds,
      filesPerSecond: FILES / ((lastFinished - startEpoch) / 1000),
      p50: percentile(lags, 50) / 1000,
      p95: percentile(lags, 95) / 1000,
      peakRss: peakRss / 2 ** 20,
    };
  } finally {
    await cloud.close();
    await deployed.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

try {
  const results = [];
  for (const mode of MODES) results.push(await runMode(mode));
  console.log(
    `bench:small-files — ${machineLine()}; ${FILES} customers files of ${ROWS_PER_FILE} rows (~${Math.round(results[0]!.bytes / 1024)} KB) uploaded at ${FILES_PER_SECOND} files/s; batched: ${Batching.filesPerExecution} files or ${Batching.windowSeconds} s per execution`,
  );
  console.log(
    table(
      ['mode', 'files/s', 'lag p50', 'lag p95', 'peak RSS'],
      results.map((r) => [
        r.mode,
        r.filesPerSecond.toFixed(1),
        `${r.p50.toFixed(1)} s`,
        `${r.p95.toFixed(1)} s`,
        `${Math.round(r.peakRss)} MiB`,
      ]),
    ),
  );
} finally {
  clearInterval(sampler);
}
