// Bad files too big to keep in the repo, made on demand: a CSV whose middle row has a 5 MiB
// field and a JSONL file with a 2 MB line between good ones. Each makes a Map Run child input
// over Step Functions' 256 KiB, which once crashed the whole local cloud (issue 12); now the
// execution fails with States.DataLimitExceeded and can be redriven. Used by
// test/e2e/pipeline/oversized-rows.test.ts; `npx node samples/bad/oversized-rows.ts DIR` writes them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** orders: a good row, a row whose sku is 5 MiB, a good row. */
export function ordersWithOversizedField(): Buffer {
  const header = 'order_id,customer_id,order_date,sku,quantity,unit_price,currency';
  const row = (id: string, sku: string) => `${id},C-001,2024-01-01,${sku},1,10.00,USD`;
  return Buffer.from(
    [header, row('O-1', 'SKU-1'), row('O-2', 'X'.repeat(5 * 1024 * 1024)), row('O-3', 'SKU-1')].join('\n') +
      '\n',
  );
}

/** logs: a good line, a line whose message is 2 MB, a good line. */
export function logsWithOversizedLine(): Buffer {
  const line = (id: string, message: string) =>
    JSON.stringify({
      timestamp: '2024-06-01T12:00:00Z',
      level: 'INFO',
      service: 'auth',
      message,
      request_id: id,
    });
  return Buffer.from(
    [line('r1', 'ok'), line('r2', 'm'.repeat(2_000_000)), line('r3', 'ok')].join('\n') + '\n',
  );
}

/** The generated files by the name they are written and uploaded under, with their dataset. */
export const oversizedSamples = {
  'orders-oversized-field.csv': { dataset: 'orders', body: ordersWithOversizedField },
  'logs-oversized-line.jsonl': { dataset: 'logs', body: logsWithOversizedLine },
} as const;

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const dir = process.argv[2] ?? '.';
  for (const [name, { body }] of Object.entries(oversizedSamples)) writeFileSync(join(dir, name), body());
}
