import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { ingestFile } from '../../support/ingest-file.ts';

interface Expectation {
  dataset: string;
  status: 'SUCCEEDED' | 'FAILED';
  /** Rows the ItemReader reads; absent for a file it refuses as a whole. */
  rows?: number;
  loaded: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  error?: string;
  note: string;
}

const { $comment: _comment, ...expectations } = JSON.parse(readFileSync('samples/expectations.json', 'utf8')) as Record<
  string,
  Expectation
>;

let db: ScratchDatabase;
beforeAll(async () => {
  db = await createScratchDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('samples/', () => {
  // In file order: orders look up the customers loaded before them.
  it.each(Object.entries(expectations))('%s', async (path, expected) => {
    const summary = await ingestFile(path, expected.dataset, db.pool);

    expect({
      status: summary.status,
      loaded: summary.loaded,
      rejected: summary.rejected,
      rejectedByReason: summary.rejectedByReason,
      ...(summary.error ? { error: summary.error } : {}),
    }).toEqual({
      status: expected.status,
      loaded: expected.loaded,
      rejected: expected.rejected,
      rejectedByReason: expected.rejectedByReason,
      ...(expected.error ? { error: expected.error } : {}),
    });
    if (expected.rows !== undefined) {
      // Rows in = loaded + rejected (+ dead-lettered: none here, a batch error would have thrown).
      expect(summary.items).toBe(expected.rows);
      expect((summary.loaded ?? 0) + (summary.rejected ?? 0)).toBe(summary.items);
    }
  });

  it('stores SQL metacharacters, quotes, backslashes and unicode verbatim', async () => {
    const { rows } = await db.pool.query<{ order_id: string; customer_id: string; sku: string }>(
      `SELECT order_id, customer_id, sku FROM orders WHERE order_id IN ($1, $2, $3) ORDER BY order_id`,
      ["O-3401'; DROP TABLE orders; --", 'O-3402', 'O-3201'],
    );

    expect(rows).toEqual([
      { order_id: 'O-3201', customer_id: 'C-005', sku: 'SKU-ÄÖÜ-東京' },
      { order_id: "O-3401'; DROP TABLE orders; --", customer_id: 'C-001', sku: 'SKU-"Q"\\B' },
      { order_id: 'O-3402', customer_id: 'C-001\\', sku: 'SKU-A1' },
    ]);
    const customers = await db.pool.query<{ name: string }>(`SELECT name FROM customers WHERE customer_id IN ('C-904', 'C-905') ORDER BY 1`);
    expect(customers.rows.map((r) => r.name)).toEqual(['Back\\slash "quoted" name', "Robert'); DROP TABLE customers;--"]);
  });

  it('keeps the raw record of a rejected row with what PostgreSQL cannot hold escaped', async () => {
    const { rows } = await db.pool.query<{ file: string; reasons: string[]; raw: Record<string, unknown> }>(
      `SELECT split_part(source_file, '#', 1) AS file, reasons, raw FROM rejects
       WHERE source_file ~ '(orders-nul-byte|customers-lone-surrogate)' ORDER BY source_file, item_index`,
    );

    expect(rows).toEqual([
      {
        file: 's3://chute/input/customers/customers-lone-surrogate.json',
        reasons: ['name: contains a lone UTF-16 surrogate (U+D83D), which is not a Unicode character'],
        raw: { customer_id: 'C-5602', name: 'Half an emoji \\ud83d', country: 'FR', region: 'Europe' },
      },
      {
        file: 's3://chute/input/customers/customers-lone-surrogate.json',
        reasons: ['name: contains a lone UTF-16 surrogate (U+DE00), which is not a Unicode character'],
        raw: { customer_id: 'C-5604', name: 'Low half \\ude00 alone', country: 'FR', region: 'Europe' },
      },
      {
        file: 's3://chute/input/orders/orders-nul-byte.csv',
        reasons: ['sku: contains a NUL character (U+0000), which PostgreSQL cannot store'],
        raw: expect.objectContaining({ order_id: 'O-5102', sku: 'SKU-\\u0000A1' }),
      },
    ]);
  });

  it('keeps the digits of a numeric id beyond 2^53 and the emoji of a proper surrogate pair', async () => {
    const { rows } = await db.pool.query<{ customer_id: string; name: string }>(
      `SELECT customer_id, name FROM customers WHERE customer_id IN ('12345678901234567890', '9007199254740991', 'C-5603') ORDER BY 1`,
    );

    expect(rows).toEqual([
      { customer_id: '12345678901234567890', name: 'Id beyond 2^53 keeps its digits' },
      { customer_id: '9007199254740991', name: 'Largest safe integer id' },
      { customer_id: 'C-5603', name: 'Whole emoji 😀' },
    ]);
  });

  it('gives orders the region of their customer, and null for an unknown one', async () => {
    const { rows } = await db.pool.query<{ order_id: string; customer_region: string | null }>(
      `SELECT order_id, customer_region FROM orders WHERE order_id IN ('O-2001', 'O-2002') ORDER BY 1`,
    );

    expect(rows).toEqual([
      { order_id: 'O-2001', customer_region: 'Europe' },
      { order_id: 'O-2002', customer_region: null },
    ]);
  });
});
