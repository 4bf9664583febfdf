import type { Batch, StagedBatch } from '../../functions/shared/schemas.ts';

/** A Distributed Map batch envelope for `dataset` with the given raw records. */
export function batchOf(
  dataset: string,
  values: unknown[],
  options: { file?: string; firstIndex?: number } = {},
): Batch {
  const file = options.file ?? `s3://chute/input/${dataset}/test.csv#etag1`;
  return {
    BatchInput: {
      file: { id: file, bucket: 'chute', key: `input/${dataset}/test.csv` },
      dataset,
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:pipeline:test',
    },
    Items: values.map((value, i) => ({ index: (options.firstIndex ?? 0) + i, value })),
  };
}

/** An orders CSV record with every value as a string, as the ItemReader delivers it. */
export function orderRecord(overrides: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    order_id: 'O-1',
    customer_id: 'C-001',
    order_date: '2024-01-31',
    sku: 'SKU-1',
    quantity: '2',
    unit_price: '10.00',
    currency: 'USD',
    ...overrides,
  };
}

/** A staged batch of already-clean order rows, ready for load. */
export function stagedOrders(
  keys: [string, string][],
  file = 's3://chute/input/orders/x.csv#e',
): StagedBatch {
  return {
    BatchInput: batchOf('orders', [], { file }).BatchInput,
    rows: keys.map(([order_id, sku], index) => ({
      index,
      data: {
        order_id,
        sku,
        customer_id: 'C-001',
        order_date: '2024-01-31',
        quantity: 1,
        unit_price: 5,
        currency: 'USD',
        amount: 5,
        amount_usd: 5,
        customer_region: null,
      },
    })),
    rejected: [],
  };
}
