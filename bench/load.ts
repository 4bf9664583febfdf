// `npm run bench:load`: rows per second of the load stage (100-row batches, 1, 4 and 10 batches in
// flight) against a plain COPY of the same rows into the same table, in the same run.
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { loadBatch } from '../functions/load/load.ts';
import { createPool } from '../functions/shared/db.ts';
import type { StagedBatch } from '../functions/shared/schemas.ts';
import { getDataset } from '../workflow/datasets/index.ts';
import type { OrderRow } from '../workflow/datasets/orders.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { machineLine, rate, table } from './support/format.ts';
import { orderRows } from './support/order-rows.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const BATCH = 100;
const orders = getDataset('orders');
const file = {
  id: 's3://chute/input/orders/bench.csv#bench',
  bucket: 'chute',
  key: 'input/orders/bench.csv',
};

function batchesOf(rows: OrderRow[]): StagedBatch[] {
  const batches: StagedBatch[] = [];
  for (let start = 0; start < rows.length; start += BATCH) {
    batches.push({
      BatchInput: {
        file,
        dataset: 'orders',
        executionArn: 'arn:aws:states:local:0:execution:pipeline:bench',
      },
      rows: rows.slice(start, start + BATCH).map((data, i) => ({ index: start + i, data })),
      rejected: [],
    });
  }
  return batches;
}

const csvField = (value: unknown): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

async function copyRows(pool: ReturnType<typeof createPool>, rows: OrderRow[]): Promise<void> {
  const client = await pool.connect();
  try {
    const columns = [...orders.columns, 'source_file'];
    const copy = client.query(copyFrom(`COPY orders (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
    const lines = (function* () {
      for (const row of rows)
        yield `${[...orders.columns.map((c) => csvField((row as Record<string, unknown>)[c])), file.id].join(',')}\n`;
    })();
    await pipeline(Readable.from(lines), copy);
  } finally {
    client.release();
  }
}

async function loadConcurrently(
  pool: ReturnType<typeof createPool>,
  batches: StagedBatch[],
  inFlight: number,
) {
  let next = 0;
  const worker = async () => {
    while (next < batches.length) await loadBatch(batches[next++]!, orders, pool);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

const db = await createBenchDatabase();
const pool = createPool(db.url, 10);
try {
  const rows = orderRows(ROWS);
  const batches = batchesOf(rows);
  const timed = async (run: () => Promise<void>): Promise<number> => {
    await pool.query('TRUNCATE orders, rejects');
    await pool.query('VACUUM ANALYZE orders');
    const start = performance.now();
    await run();
    const seconds = (performance.now() - start) / 1000;
    const { rows: counted } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM orders');
    if (Number(counted[0]!.n) !== ROWS) throw new Error(`expected ${ROWS} rows, found ${counted[0]!.n}`);
    return seconds;
  };

  const copySeconds = await timed(() => copyRows(pool, rows));
  const copyRate = rate(ROWS, copySeconds);
  const results: (string | number)[][] = [
    ['COPY (one stream)', ROWS, copySeconds.toFixed(2), copyRate, '100%'],
  ];
  for (const inFlight of [1, 4, 10]) {
    const seconds = await timed(() => loadConcurrently(pool, batches, inFlight));
    const loadRate = rate(ROWS, seconds);
    const share = `${Math.round((loadRate / copyRate) * 100)}%`;
    results.push([`load stage, ${inFlight} in flight`, ROWS, seconds.toFixed(2), loadRate, share]);
  }
  console.log(
    `bench:load — ${machineLine()}, ${db.server}, batches of ${BATCH} rows into orders (primary key + index)`,
  );
  console.log(table(['mode', 'rows', 'seconds', 'rows/s', 'of COPY'], results));
} finally {
  await pool.end();
  await db.drop();
}
