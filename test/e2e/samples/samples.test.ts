import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { ingestFile } from '../../support/ingest-file.ts';

interface Expectation {
  dataset: string;
  status: 'SUCCEEDED' | 'FAILED';
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
