import { describe, expect, it } from '@jest/globals';
import { cleanBatch } from '../../../functions/clean/clean.ts';
import { enrichBatch } from '../../../functions/enrich/enrich.ts';
import { handler as validateHandler } from '../../../functions/validate/handler.ts';
import { transformBatch } from '../../../functions/transform/transform.ts';
import { validateBatch } from '../../../functions/validate/validate.ts';
import { getDataset } from '../../../workflow/datasets/index.ts';
import { batchOf, orderRecord } from '../../support/batches.ts';
import { memoryLookups } from '../../support/memory-lookups.ts';

const orders = getDataset('orders');
const lookups = () =>
  memoryLookups({
    customers: [{ customer_id: 'C-001', region: 'Europe' }],
    fx_rates: [
      { currency: 'USD', rate_to_usd: '1' },
      { currency: 'EUR', rate_to_usd: '1.08' },
    ],
  });

async function throughEnrich(values: unknown[]) {
  const batch = batchOf('orders', values);
  const staged = transformBatch(cleanBatch(validateBatch(batch, orders), orders), orders);
  return enrichBatch(staged, orders, lookups());
}

describe('the row stages on orders', () => {
  it('carry good rows through and reject bad ones at the stage that found them, with the raw record', async () => {
    // Prepare
    const records = [
      orderRecord({
        order_id: ' A-1 ',
        sku: 'sku-9',
        quantity: '1,200',
        unit_price: '0.10',
        currency: 'eur',
      }),
      { order_id: 'A-2' },
      orderRecord({ order_id: 'A-3', order_date: 'someday' }),
      orderRecord({ order_id: 'A-4', currency: 'GBP' }),
      { order_id: '', customer_id: ' ', order_date: '', sku: '', quantity: '', unit_price: '', currency: '' },
    ];

    // Act
    const result = await throughEnrich(records);

    // Assess
    expect(result.rows).toEqual([
      {
        index: 0,
        data: {
          order_id: 'A-1',
          customer_id: 'C-001',
          order_date: '2024-01-31',
          sku: 'SKU-9',
          quantity: 1200,
          unit_price: 0.1,
          currency: 'EUR',
          amount: 120,
          amount_usd: 129.6,
          customer_region: 'Europe',
        },
      },
    ]);
    expect(result.rejected.map(({ index, stage }) => [index, stage])).toEqual([
      [1, 'validate'],
      [2, 'clean'],
      [4, 'clean'],
      [3, 'enrich'],
    ]);
    expect(result.rejected[0]!.reasons).toContain('customer_id: is missing');
    expect(result.rejected[0]!.raw).toEqual({ order_id: 'A-2' });
    expect(result.rejected[1]!.reasons).toEqual(["order_date: 'someday' is not a date in a known format"]);
    // An all-blank row is a row of the file: rejected, so that rows in = loaded + rejected.
    expect(result.rejected[2]!.reasons).toEqual(['empty row: every field is blank']);
    expect(result.rejected[3]!.reasons).toEqual(['currency: no fx rate for GBP']);
  });

  it.each([
    [
      'a NUL byte',
      'SKU-\u00001',
      'SKU-\\u00001',
      'sku: contains a NUL character (U+0000), which PostgreSQL cannot store',
    ],
    [
      'a lone surrogate',
      'SKU-\ud83d',
      'SKU-\\ud83d',
      'sku: contains a lone UTF-16 surrogate (U+D83D), which is not a Unicode character',
    ],
    [
      'U+FFFD left by bytes that are not UTF-8',
      'SKU-\ufffd',
      'SKU-\ufffd',
      'sku: contains U+FFFD: the file has bytes that are not valid UTF-8 (is it UTF-16, compressed or binary?)',
    ],
  ])(
    'validate rejects a row with %s with its reason and its record escaped, and keeps the others',
    (_, sku, stored, reason) => {
      // Prepare
      const batch = batchOf('orders', [
        orderRecord({ order_id: 'V-1' }),
        orderRecord({ order_id: 'V-2', sku }),
      ]);

      // Act
      const result = validateBatch(batch, orders);

      // Assess
      expect(result.rows.map((row) => row.data.order_id)).toEqual(['V-1']);
      expect(result.rejected).toEqual([
        {
          index: 1,
          stage: 'validate',
          reasons: [reason],
          raw: orderRecord({ order_id: 'V-2', sku: stored }),
        },
      ]);
    },
  );

  it('validate reports unstorable field names once for the record, as a UTF-16 file has them', () => {
    const utf16 = { '\ufffd\ufffdo\u0000r\u0000': '\u00001\u0000', '\u0000s\u0000k\u0000u\u0000': 'x\u0000' };

    const result = validateBatch(batchOf('orders', [utf16]), orders);

    expect(result.rejected[0]!.reasons).toEqual([
      'field names: one contains a NUL character (U+0000), which PostgreSQL cannot store',
      'field names: one contains U+FFFD: the file has bytes that are not valid UTF-8 (is it UTF-16, compressed or binary?)',
    ]);
  });

  it('validate rejects a number that overflowed to Infinity (as the Lambda runtime parses 1e400) instead of passing on null', () => {
    const logs = getDataset('logs');
    const line = {
      timestamp: '2024-06-01T12:00:00Z',
      level: 'INFO',
      service: 's',
      message: 'm',
      latency_ms: Infinity,
    };

    const result = validateBatch(batchOf('logs', [line]), logs);

    expect(result.rejected).toEqual([
      {
        index: 0,
        stage: 'validate',
        reasons: ['latency_ms: Infinity is not a finite number'],
        raw: { ...line, latency_ms: 'Infinity' },
      },
    ]);
  });

  it('dedupes a batch on the natural key: the last record wins and the earlier one is rejected, not lost', async () => {
    // Prepare
    const records = [
      orderRecord({ order_id: 'D-1', quantity: '1' }),
      orderRecord({ order_id: 'D-2' }),
      orderRecord({ order_id: 'd-1 ', quantity: '5' }),
      orderRecord({ order_id: 'D-1', sku: ' sku-1', quantity: '7' }),
    ];

    // Act
    const cleaned = cleanBatch(validateBatch(batchOf('orders', records), orders), orders);

    // Assess: order ids are case-sensitive, SKUs are not.
    expect(cleaned.rows.map((r) => [r.index, r.data.order_id, r.data.quantity])).toEqual([
      [1, 'D-2', 2],
      [2, 'd-1', 5],
      [3, 'D-1', 7],
    ]);
    expect(cleaned.rejected).toEqual([
      {
        index: 0,
        stage: 'clean',
        reasons: ['duplicate: superseded by record 3 with the same key'],
        raw: records[0],
      },
    ]);
  });

  it('enrich asks one query per lookup for the whole batch, never one per row', async () => {
    // Prepare
    const ports = lookups();
    const batch = batchOf(
      'orders',
      Array.from({ length: 100 }, (_, i) =>
        orderRecord({ order_id: `Q-${i}`, currency: i % 2 ? 'USD' : 'EUR' }),
      ),
    );
    const staged = transformBatch(cleanBatch(validateBatch(batch, orders), orders), orders);

    // Act
    const result = await enrichBatch(staged, orders, ports);

    // Assess
    expect(result.rows).toHaveLength(100);
    expect(ports.queries).toHaveLength(2);
  });

  it('keeps a 100-row batch far under the 256 KB state limit at every stage', async () => {
    // Prepare: wide-ish rows, a third of them rejected (rejected rows carry their raw record).
    const records = Array.from({ length: 100 }, (_, i) =>
      orderRecord({
        order_id: `ORDER-${String(i).padStart(10, '0')}`,
        sku: `SKU-${'X'.repeat(40)}-${i}`,
        quantity: i % 3 === 0 ? 'many' : '3',
      }),
    );

    // Act
    const result = await throughEnrich(records);

    // Assess
    const bytes = Buffer.byteLength(JSON.stringify(result));
    expect(result.rows.length + result.rejected.length).toBe(100);
    expect(bytes).toBeLessThan(64 * 1024);
  });

  it('the handler refuses a malformed envelope with InvalidBatchError', async () => {
    await expect(validateHandler({ Items: 'nope' })).rejects.toMatchObject({
      name: 'InvalidBatchError',
      message: expect.stringContaining('BatchInput'),
    });
  });

  it('the handler refuses an unknown dataset with UnknownDatasetError', async () => {
    await expect(validateHandler(batchOf('invoices', [{}]))).rejects.toMatchObject({
      name: 'UnknownDatasetError',
      message: "Unknown dataset 'invoices': expected one of orders, customers, logs",
    });
  });
});
