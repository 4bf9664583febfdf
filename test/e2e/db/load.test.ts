import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadBatch } from '../../../functions/load/load.ts';
import { createLookupPort, createPool } from '../../../functions/shared/db.ts';
import { TransientError } from '../../../functions/shared/errors.ts';
import { getDataset } from '../../../workflow/datasets/index.ts';
import { batchOf, orderRecord, stagedOrders } from '../../support/batches.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { stageBatch } from '../../support/pipeline-stages.ts';

const orders = getDataset('orders');
let db: ScratchDatabase;

beforeAll(async () => {
  db = await createScratchDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function tableRows(file?: string): Promise<Record<string, unknown>[]> {
  const where = file ? 'WHERE source_file = $1' : '';
  const { rows } = await db.pool.query(
    `SELECT order_id, sku, quantity, amount::text, amount_usd::text, source_file FROM orders ${where} ORDER BY order_id, sku`,
    file ? [file] : [],
  );
  return rows;
}

describe('load', () => {
  it('loading the same batch twice leaves the same rows', async () => {
    // Prepare
    const file = 's3://chute/input/orders/twice.csv#e1';
    const staged = await stageBatch(
      batchOf(
        'orders',
        [orderRecord({ order_id: 'T-1' }), orderRecord({ order_id: 'T-2', currency: 'EUR' })],
        { file },
      ),
      createLookupPort(db.pool),
    );

    // Act
    const first = await loadBatch(staged, orders, db.pool);
    const afterFirst = await tableRows(file);
    const second = await loadBatch(staged, orders, db.pool);

    // Assess
    expect(first).toEqual({ file, dataset: 'orders', loaded: 2, rejected: 0 });
    expect(second).toEqual(first);
    expect(await tableRows(file)).toEqual(afterFirst);
    expect(afterFirst).toEqual([
      { order_id: 'T-1', sku: 'SKU-1', quantity: 2, amount: '20.00', amount_usd: '20.00', source_file: file },
      { order_id: 'T-2', sku: 'SKU-1', quantity: 2, amount: '20.00', amount_usd: '21.60', source_file: file },
    ]);
  });

  it('overlapping batches loaded concurrently neither deadlock nor duplicate', async () => {
    // Prepare: 8 batches of 100 rows drawn from 150 keys, each in its own shuffled order.
    const keys = Array.from({ length: 150 }, (_, i): [string, string] => [
      `C-${i % 50}`,
      `SKU-${Math.floor(i / 50)}`,
    ]);
    const shuffled = (seed: number) =>
      keys
        .map((key, i) => ({ key, order: (i * 7919 + seed * 104729) % 151 }))
        .sort((a, b) => a.order - b.order)
        .slice(0, 100)
        .map((entry) => entry.key);
    const file = 's3://chute/input/orders/overlap.csv#e1';
    const batches = Array.from({ length: 8 }, (_, seed) => stagedOrders(shuffled(seed), file));

    // Act
    const results = await Promise.all(batches.map((batch) => loadBatch(batch, orders, db.pool)));

    // Assess
    expect(results.every((r) => r.loaded === 100)).toBe(true);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT (order_id, sku))::int AS distinct_keys FROM orders WHERE source_file = $1`,
      [file],
    );
    const distinct = new Set(batches.flatMap((b) => b.rows.map((r) => `${r.data.order_id}/${r.data.sku}`)));
    expect(rows[0]).toEqual({ n: distinct.size, distinct_keys: distinct.size });
  });

  it('stores text with quotes, backslashes, unicode and SQL verbatim', async () => {
    // Prepare
    const nasty = [`'; DROP TABLE orders; --`, `O"Brien\\n\\\\`, `naïve 注文 🚚`, `$1 $$ %s \\x00`];
    const file = 's3://chute/input/orders/nasty.csv#e1';
    const batch = batchOf(
      'orders',
      nasty.map((order_id) => orderRecord({ order_id })),
      { file },
    );

    // Act
    const result = await loadBatch(await stageBatch(batch, createLookupPort(db.pool)), orders, db.pool);

    // Assess
    expect(result.loaded).toBe(4);
    const stored = (await tableRows(file)).map((r) => r.order_id);
    expect(stored.sort()).toEqual([...nasty].sort());
    const { rows } = await db.pool.query(`SELECT to_regclass('orders') IS NOT NULL AS exists`);
    expect(rows[0].exists).toBe(true);
  });

  it('stores rejected rows once, with reasons and the raw record, however often the batch is retried', async () => {
    // Prepare
    const file = 's3://chute/input/orders/rejects.csv#e1';
    const bad = orderRecord({ order_id: 'R-1', quantity: '-3', order_date: '03/04/2024' });
    const batch = batchOf(
      'orders',
      [orderRecord({ order_id: 'R-0' }), bad, orderRecord({ order_id: 'R-2', currency: 'XYZ' })],
      {
        file,
      },
    );
    const staged = await stageBatch(batch, createLookupPort(db.pool));

    // Act
    await loadBatch(staged, orders, db.pool);
    await loadBatch(staged, orders, db.pool);

    // Assess
    const { rows } = await db.pool.query(
      'SELECT item_index, stage, reasons, raw FROM rejects WHERE source_file = $1 ORDER BY item_index',
      [file],
    );
    expect(rows).toEqual([
      {
        item_index: 1,
        stage: 'clean',
        reasons: [
          "order_date: '03/04/2024' is ambiguous (day/month order unknown)",
          'quantity: -3 is outside the allowed range 1..1000000',
        ],
        raw: bad,
      },
      {
        item_index: 2,
        stage: 'enrich',
        reasons: ['currency: no fx rate for XYZ'],
        raw: expect.objectContaining({ order_id: 'R-2' }),
      },
    ]);
  });

  it('a record loaded after an earlier rejection is no longer counted as rejected', async () => {
    // Prepare: the first attempt rejects an unknown currency; then the rate is added.
    const file = 's3://chute/input/orders/fixed.csv#e1';
    const batch = batchOf('orders', [orderRecord({ order_id: 'F-1', currency: 'SEK' })], { file });
    await loadBatch(await stageBatch(batch, createLookupPort(db.pool)), orders, db.pool);
    await db.pool.query(`INSERT INTO fx_rates VALUES ('SEK', 0.095, '2026-11-01')`);

    // Act
    await loadBatch(await stageBatch(batch, createLookupPort(db.pool)), orders, db.pool);

    // Assess
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM rejects WHERE source_file = $1', [
      file,
    ]);
    expect(rows[0].n).toBe(0);
    expect(await tableRows(file)).toHaveLength(1);
  });
});

describe('values PostgreSQL cannot hold', () => {
  it('a row PostgreSQL still refuses is rejected with its words and the rest of the batch loads', async () => {
    // Prepare: rows that reach load without validate's and clean's checks (defence in depth): a
    // NUL (22P05), a quantity beyond integer (22003) and one the CHECK refuses (23514).
    const file = 's3://chute/input/orders/poison.csv#e1';
    const batch = stagedOrders(
      [
        ['P-0', 'SKU-1'],
        ['P-1', 'SKU-\u0000'],
        ['P-2', 'SKU-1'],
        ['P-3', 'SKU-1'],
        ['P-4', 'SKU-1'],
        ['P-5', 'SKU-1'],
      ],
      file,
    );
    batch.rows[3]!.data.quantity = 3e9;
    batch.rows[5]!.data.quantity = 0;

    // Act
    const first = await loadBatch(batch, orders, db.pool);
    const second = await loadBatch(batch, orders, db.pool);

    // Assess
    expect(first).toEqual({ file, dataset: 'orders', loaded: 3, rejected: 3 });
    expect(second).toEqual(first);
    expect((await tableRows(file)).map((r) => r.order_id)).toEqual(['P-0', 'P-2', 'P-4']);
    const { rows } = await db.pool.query(
      'SELECT item_index, stage, reasons, raw->>$2 AS sku FROM rejects WHERE source_file = $1 ORDER BY item_index',
      [file, 'sku'],
    );
    expect(rows).toEqual([
      {
        item_index: 1,
        stage: 'load',
        reasons: [
          expect.stringMatching(/^PostgreSQL: refused the row: 22P05 unsupported Unicode escape sequence/),
        ],
        sku: 'SKU-\\u0000',
      },
      {
        item_index: 3,
        stage: 'load',
        reasons: [
          expect.stringMatching(/^PostgreSQL: refused the row: 22003 .*out of range for type integer/),
        ],
        sku: 'SKU-1',
      },
      {
        item_index: 5,
        stage: 'load',
        reasons: [expect.stringMatching(/^PostgreSQL: refused the row: 23514 .*violates check constraint/)],
        sku: 'SKU-1',
      },
    ]);
  });

  it('a batch whose every row PostgreSQL refuses rejects them all and fails nothing', async () => {
    const file = 's3://chute/input/orders/all-poison.csv#e1';
    const batch = stagedOrders(
      [
        ['A-0', 'a\u0000'],
        ['A-1', 'b\u0000'],
        ['A-2', 'c\u0000'],
      ],
      file,
    );

    const result = await loadBatch(batch, orders, db.pool);

    expect(result).toEqual({ file, dataset: 'orders', loaded: 0, rejected: 3 });
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM rejects WHERE source_file = $1', [
      file,
    ]);
    expect(rows[0].n).toBe(3);
  });

  it('stores a rejected row whose record and reasons hold NUL and lone surrogates, escaped', async () => {
    // Prepare: a reject as any stage may send it, quoting the value in its reason.
    const file = 's3://chute/input/orders/escaped.csv#e1';
    const batch = {
      ...stagedOrders([['E-0', 'SKU-1']], file),
      rejected: [
        {
          index: 1,
          stage: 'clean' as const,
          reasons: ["sku: 'x\u0000\ud83d' is not a SKU"],
          raw: { 'so\u0000rt': 'x\u0000\ud83d', fine: '😀', big: Infinity },
        },
      ],
    };

    // Act
    const result = await loadBatch(batch, orders, db.pool);

    // Assess
    expect(result).toEqual({ file, dataset: 'orders', loaded: 1, rejected: 1 });
    const { rows } = await db.pool.query('SELECT reasons, raw FROM rejects WHERE source_file = $1', [file]);
    expect(rows).toEqual([
      {
        reasons: ["sku: 'x\\u0000\\ud83d' is not a SKU"],
        raw: { 'so\\u0000rt': 'x\\u0000\\ud83d', fine: '😀', big: 'Infinity' },
      },
    ]);
  });
});

describe('an unavailable database', () => {
  it('gives TransientError when nothing listens', async () => {
    // Prepare: a port that was just free.
    const pool = createPool('postgres://chute:chute@127.0.0.1:1/chute');

    // Act
    const attempt = loadBatch(stagedOrders([['X', 'Y']]), orders, pool);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(TransientError);
    await expect(attempt).rejects.toMatchObject({ name: 'TransientError' });
    await pool.end();
  });

  it('gives TransientError when the connection is killed while the batch loads', async () => {
    // Prepare: another session holds the table, so the load waits inside its statement.
    const pool = createPool(db.url, 1);
    const holder = await db.pool.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');

    // Act: the server terminates the waiting load's backend.
    const failure = loadBatch(stagedOrders([['K-1', 'SKU-1']]), orders, pool).catch(
      (error: unknown) => error,
    );
    let waiting: { pid: number }[] = [];
    while (waiting.length === 0) {
      ({ rows: waiting } = await db.pool.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH loaded AS%'",
      ));
    }
    await db.pool.query('SELECT pg_terminate_backend($1)', [waiting[0]!.pid]);
    await holder.query('ROLLBACK');
    holder.release();

    // Assess
    expect(await failure).toBeInstanceOf(TransientError);
    await pool.end();
  });
});
