import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { executionOfFile, waitForRun } from '../../../local/cli/wait-for-file.ts';
import { uploadFile } from '../../../local/services/upload-file.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

const ROWS = 1_000_000;
let db: ScratchDatabase;
let local: TestPipeline;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chute-million-'));
  db = await createScratchDatabase();
  local = await startTestPipeline(db.url);
}, 60_000);
afterAll(async () => {
  await local?.stop();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('a 1,000,000-row CSV', () => {
  it('loads every row once, rejects the bad ones, through 10,000 batches', async () => {
    const path = join(dir, 'orders-big.csv');
    const out = createWriteStream(path);
    out.write('order_id,customer_id,order_date,sku,quantity,unit_price,currency\n');
    for (let i = 0; i < ROWS; i++) {
      // Every 100,000th row has quantity 0: 10 rejects.
      const line = `M-${i},C-001,2024-03-01,SKU-${i % 7},${i % 100_000 === 0 ? 0 : 1},"1,000.50",EUR\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    const key = 'input/orders/orders-big.csv';

    await uploadFile(local.cloud.clients.s3, 'chute', key, path);
    const head = await local.cloud.clients.s3.send(new HeadObjectCommand({ Bucket: 'chute', Key: key }));
    const fileId = `s3://chute/${key}#${(head.ETag ?? '').replaceAll('"', '')}`;
    const run = await waitForRun(
      local.cloud.clients,
      await executionOfFile(local.cloud.clients, local.pipeline.ledgerTable, fileId),
    );

    expect(run).toMatchObject({ status: 'SUCCEEDED', itemsTotal: ROWS, failedBatches: 0 });
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM orders WHERE source_file = $1', [
      fileId,
    ]);
    const rejects = await db.pool.query('SELECT count(*)::int AS n FROM rejects WHERE source_file = $1', [
      fileId,
    ]);
    expect(rows[0].n).toBe(ROWS - 10);
    expect(rejects.rows[0].n).toBe(10);
  }, 600_000);
});
