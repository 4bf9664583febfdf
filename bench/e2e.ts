// `npm run bench:e2e`: a 1,000,000-row orders CSV through the whole local pipeline (S3 upload →
// EventBridge → Step Functions → Distributed Map → the five stage functions → PostgreSQL), rows per
// second against a plain COPY of the same rows into the same table in the same run, and the peak
// memory of this process (the whole local stack but PostgreSQL, which runs as its own process).
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { executionOfFile, waitForRun } from '../local/cli/wait-for-file.ts';
import { startLocalCloud } from '../local/services/cloud.ts';
import { deployPipeline } from '../local/stack.ts';
import { PipelineLambdas, RowStageNames } from '../workflow/resource-names.ts';
import { uploadFile } from '../local/services/upload-file.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { postgresCpuSeconds } from './support/postgres-cpu.ts';
import { machineLine, rate, table } from './support/format.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
// BENCH_IDENTITY_STAGES=1: the five stage functions hand their event back untouched (nothing is
// loaded), to see what the engine and the local cloud cost without the stage code and PostgreSQL.
const IDENTITY_STAGES = process.env.BENCH_IDENTITY_STAGES === '1';
const header = 'order_id,customer_id,order_date,sku,quantity,unit_price,currency';

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  const currencies = ['USD', 'EUR', 'GBP', 'JPY'];
  for (let i = 0; i < ROWS; i++) {
    const line = `E-${i},C-${String(i % 5000).padStart(4, '0')},2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},SKU-${i % 50},${(i % 7) + 1},"${((i * 37) % 100000) / 100 + 1}",${currencies[i % 4]}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

let peakRss = 0;
let peakAt: NodeJS.MemoryUsage | undefined;
// rss() alone every 100 ms: memoryUsage() also walks the heap's spaces, ~3% of the engine
// thread's time in a profile of this run. The whole breakdown is taken only at a new peak.
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) [peakRss, peakAt] = [rss, process.memoryUsage()];
}, 100);

const dir = await mkdtemp(join(tmpdir(), 'chute-bench-e2e-'));
const csv = join(dir, 'orders.csv');
await writeCsv(csv);
const db = await createBenchDatabase();
const cloud = await startLocalCloud({ port: 0, dataDir: join(dir, 'cloud'), timeScale: 0 });
const deployed = await deployPipeline(cloud, { dataDir: join(dir, 'cloud'), databaseUrl: db.url });
if (IDENTITY_STAGES) {
  for (const stage of RowStageNames) cloud.functions[PipelineLambdas[stage].name] = async (event) => event;
}
const client = new pg.Client({ connectionString: db.url });
await client.connect();
try {
  // COPY first, into the same table, then emptied: the pipeline then loads into an empty table too.
  const copyStart = performance.now();
  await client.query(
    'CREATE TEMP TABLE staging (order_id text, customer_id text, order_date date, sku text, quantity int, unit_price numeric, currency text)',
  );
  await streamPipeline(
    createReadStream(csv),
    client.query(copyFrom(`COPY staging FROM STDIN WITH (FORMAT csv, HEADER true)`)),
  );
  await client.query(`INSERT INTO orders (order_id, customer_id, order_date, sku, quantity, unit_price, currency, amount, amount_usd, customer_region, source_file)
    SELECT order_id, customer_id, order_date, sku, quantity, unit_price, currency, quantity * unit_price, quantity * unit_price, NULL, 'copy' FROM staging`);
  const copySeconds = (performance.now() - copyStart) / 1000;
  await client.query('TRUNCATE orders, rejects; DROP TABLE staging');

  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const engineCpuBefore = process.threadCpuUsage();
  const postgresCpuBefore = await postgresCpuSeconds();
  const key = 'input/orders/bench.csv';
  await uploadFile(cloud.clients.s3, deployed.bucket, key, csv);
  const head = await cloud.clients.s3.send(new HeadObjectCommand({ Bucket: deployed.bucket, Key: key }));
  const fileId = `s3://${deployed.bucket}/${key}#${(head.ETag ?? '').replaceAll('"', '')}`;
  const executionArn = await executionOfFile(cloud.clients, deployed.ledgerTable, fileId);
  const run = await waitForRun(cloud.clients, executionArn);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const engineCpu = process.threadCpuUsage(engineCpuBefore);
  // This thread runs the engine, the API and the local services; the others are the Lambda
  // environments (worker threads) and V8's own (garbage collection, compilation).
  const engineCpuSeconds = (engineCpu.user + engineCpu.system) / 1e6;
  const postgresCpuAfter = await postgresCpuSeconds();
  const { rows } = await client.query<{ n: string }>(
    'SELECT count(*) AS n FROM orders WHERE source_file = $1',
    [fileId],
  );
  if (run.status !== 'SUCCEEDED' || Number(rows[0]!.n) !== (IDENTITY_STAGES ? 0 : ROWS))
    throw new Error(
      `pipeline ${run.status} (${run.error ?? ''}: ${run.cause ?? ''}), ${rows[0]!.n} rows loaded of ${ROWS}`,
    );

  const copyRate = rate(ROWS, copySeconds);
  const pipelineRate = rate(ROWS, seconds);
  console.log(
    `bench:e2e — ${machineLine()}, ${db.server}; ${ROWS} order rows, batches of 100, MaxConcurrency 10${IDENTITY_STAGES ? '; IDENTITY STAGES: nothing loaded' : ''}`,
  );
  console.log(
    table(
      ['path', 'rows', 'seconds', 'rows/s', 'of COPY'],
      [
        ['COPY (staging table + INSERT … SELECT)', ROWS, copySeconds.toFixed(1), copyRate, '100%'],
        [
          'whole local pipeline',
          ROWS,
          seconds.toFixed(1),
          pipelineRate,
          `${Math.round((pipelineRate / copyRate) * 100)}%`,
        ],
      ],
    ),
  );
  console.log(`peak RSS of the local stack (this process): ${Math.round(peakRss / 2 ** 20)} MiB`);
  // What the peak was made of: live data against what the heap had grown to.
  console.log(
    `  of which the engine thread's heap: ${Math.round(peakAt!.heapUsed / 2 ** 20)} MiB used of ${Math.round(peakAt!.heapTotal / 2 ** 20)} MiB`,
  );
  console.log(
    `CPU of the local stack during the run: ${cpuSeconds.toFixed(1)} s (${((cpuSeconds / seconds) * 100).toFixed(0)}% of one core)`,
  );
  if (postgresCpuBefore !== undefined && postgresCpuAfter !== undefined) {
    // Where a batch's CPU goes, against what the machine's cores allow per batch at 25% of COPY.
    const pgSeconds = postgresCpuAfter - postgresCpuBefore;
    const batches = ROWS / 100;
    const perBatch = (s: number) => `${((s / batches) * 1000).toFixed(1)} ms`;
    const budget = (cpus().length / (copyRate / 4 / 100)) * 1000;
    console.log(
      `CPU of PostgreSQL (its processes on this machine) during the run: ${pgSeconds.toFixed(1)} s`,
    );
    console.log(
      `CPU per 100-row batch: local stack ${perBatch(cpuSeconds)} (engine thread ${perBatch(engineCpuSeconds)}, Lambda environments and V8's threads ${perBatch(cpuSeconds - engineCpuSeconds)}), PostgreSQL ${perBatch(pgSeconds)}; at 25% of COPY, ${cpus().length} cores have ${budget.toFixed(1)} ms per batch for both`,
    );
  }
} finally {
  clearInterval(sampler);
  await client.end();
  await cloud.close();
  await deployed.close();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
}
