import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
} from '@aws-sdk/client-sfn';
import { sweepQueue } from '../../../functions/dead-letter/aws-ports.ts';
import { waitForRun } from '../../../local/cli/wait-for-file.ts';
import { objectCreatedEvent } from '../../../local/services/s3-events.ts';
import { Batching } from '../../../workflow/batching.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

// Small files through S3 → EventBridge → SQS → EventBridge Pipes → one execution per batch, as the
// stack runs them on AWS; a window of a few seconds instead of a minute so the test does not wait.
const WINDOW_SECONDS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const customers = (file: string, rows: number) =>
  JSON.stringify(
    Array.from({ length: rows }, (_, i) => ({ customer_id: `${file}-${i}`, name: `Customer ${file} ${i}` })),
  );
const orders = (file: string, rows: number) =>
  [
    'order_id,customer_id,order_date,sku,quantity,unit_price,currency',
    ...Array.from({ length: rows }, (_, i) => `${file}-${i},C-001,2024-01-01,SKU-1,1,10.00,USD`),
  ].join('\n');

describe('small files share an execution', () => {
  let db: ScratchDatabase;
  let local: TestPipeline;
  beforeAll(async () => {
    db = await createScratchDatabase();
    local = await startTestPipeline(db.url, undefined, 0, {
      batching: { filesPerExecution: Batching.filesPerExecution, windowSeconds: WINDOW_SECONDS },
    });
  }, 60_000);
  afterAll(async () => {
    await local?.stop();
    await db?.drop();
  });

  const put = (key: string, body: string) =>
    local.cloud.clients.s3.send(
      new PutObjectCommand({ Bucket: local.pipeline.bucket, Key: key, Body: body }),
    );

  /** The ledger items under `prefix` once `count` of them are closed (a status other than RUNNING). */
  async function closedFiles(prefix: string, count: number, timeoutMs = 240_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const items = [];
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await local.cloud.clients.dynamodb.send(
          new ScanCommand({ TableName: local.pipeline.ledgerTable, ExclusiveStartKey }),
        );
        items.push(...(page.Items ?? []).filter((item) => item.pk!.S!.includes(prefix)));
        ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
      } while (ExclusiveStartKey);
      const closed = items.filter((item) => item.status?.S !== 'RUNNING');
      if (closed.length >= count) return closed;
      if (Date.now() > deadline) throw new Error(`${closed.length} of ${count} files closed under ${prefix}`);
      await sleep(500);
    }
  }

  /** Executions whose input is a batch holding a key under `prefix`, with the keys each holds. */
  async function batchesOf(prefix: string) {
    const { executions = [] } = await local.cloud.clients.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: local.pipeline.stateMachineArn, maxResults: 1000 }),
    );
    const batches: { executionArn: string; keys: string[] }[] = [];
    for (const { executionArn } of executions) {
      const { input } = await local.cloud.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const parsed = JSON.parse(input!) as unknown;
      if (!Array.isArray(parsed)) continue;
      const keys = parsed.map(
        (record: { body: string }) =>
          (JSON.parse(record.body) as { detail: { object: { key: string } } }).detail.object.key,
      );
      if (keys.some((key) => key.includes(prefix))) batches.push({ executionArn: executionArn!, keys });
    }
    return batches;
  }

  const rowCount = async (table: string, like: string) =>
    Number(
      (await db.pool.query(`SELECT count(*) AS n FROM ${table} WHERE source_file LIKE $1`, [`%${like}%`]))
        .rows[0].n,
    );

  it('a burst of 500 small files lands within one window: a handful of executions, every row loaded once', async () => {
    // Act
    const keys = Array.from(
      { length: 500 },
      (_, i) => `input/customers/burst-${String(i).padStart(3, '0')}.json`,
    );
    for (let i = 0; i < keys.length; i += 25)
      await Promise.all(keys.slice(i, i + 25).map((key) => put(key, customers(key, 10))));

    // Assess
    const closed = await closedFiles('burst-', 500);
    expect(closed.map((item) => item.status!.S)).toEqual(Array(500).fill('SUCCEEDED'));
    expect(await rowCount('customers', 'burst-')).toBe(5000);
    const batches = await batchesOf('burst-');
    // 100 files a batch, or fewer when 100 SQS records would pass Step Functions' 256 KB input or
    // the window closes first (the pipe then starts the batch it has): a handful of executions.
    expect(batches.length).toBeLessThanOrEqual(10);
    for (const { keys } of batches) expect(keys.length).toBeLessThanOrEqual(Batching.filesPerExecution);
    expect(new Set(batches.flatMap((b) => b.keys)).size).toBe(500);
  }, 300_000);

  it('the same upload event twice loads the file once', async () => {
    // Prepare
    const key = 'input/customers/twice.json';
    const { ETag } = await put(key, customers('twice', 7));
    await closedFiles('twice.json', 1);
    const event = objectCreatedEvent(
      {
        bucket: local.pipeline.bucket,
        key,
        size: Buffer.byteLength(customers('twice', 7)),
        etag: ETag!,
        reason: 'PutObject',
        requestId: 'again',
      },
      local.cloud.account,
    );

    // Act: EventBridge delivers at least once: the same event again, twice.
    await local.cloud.bus.putEvent(event);
    await local.cloud.bus.putEvent(event);
    await sleep((WINDOW_SECONDS + 3) * 1000);
    const batches = await batchesOf('twice.json');
    for (const { executionArn } of batches) await waitForRun(local.cloud.clients, executionArn);

    // Assess
    expect(batches.length).toBeGreaterThanOrEqual(2);
    expect(await rowCount('customers', 'twice.json')).toBe(7);
    const closed = await closedFiles('twice.json', 1);
    expect(closed).toHaveLength(1);
    expect(closed[0]!.status!.S).toBe('SUCCEEDED');
  }, 120_000);

  it('a big file gets its own execution while small files share one', async () => {
    // Act
    const big = 'input/orders/big-mixed.csv';
    const bigBody = orders('BIG', 3000);
    expect(Buffer.byteLength(bigBody)).toBeGreaterThan(Batching.smallFileMaxBytes);
    await Promise.all([
      put(big, bigBody),
      ...Array.from({ length: 20 }, (_, i) =>
        put(`input/customers/mixed-${i}.json`, customers(`mixed-${i}`, 20)),
      ),
    ]);

    // Assess
    const closed = await closedFiles('mixed', 21);
    expect(closed.map((item) => item.status!.S)).toEqual(Array(21).fill('SUCCEEDED'));
    expect(await rowCount('orders', 'big-mixed.csv')).toBe(3000);
    expect(await rowCount('customers', 'mixed-')).toBe(400);
    const bigItem = closed.find((item) => item.pk!.S!.includes('big-mixed.csv'))!;
    const { input } = await local.cloud.clients.sfn.send(
      new DescribeExecutionCommand({ executionArn: bigItem.executionArn!.S! }),
    );
    expect(Array.isArray(JSON.parse(input!))).toBe(false);
    expect((await batchesOf('mixed-')).flatMap((b) => b.keys)).toHaveLength(20);
  }, 180_000);

  it('one bad file in a batch fails alone, says why, and a redrive finishes it', async () => {
    // Prepare: the orders table refuses rows until the test lets it.
    await db.pool.query(`CREATE FUNCTION refuse_batch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await db.pool.query(
      'CREATE TRIGGER refuse_batch BEFORE INSERT ON orders FOR EACH STATEMENT EXECUTE FUNCTION refuse_batch()',
    );

    // Act
    await Promise.all([
      put('input/orders/lone-bad.csv', orders('LONE', 30)),
      ...Array.from({ length: 9 }, (_, i) =>
        put(`input/customers/lone-good-${i}.json`, customers(`lone-${i}`, 10)),
      ),
    ]);
    const closed = await closedFiles('lone-', 10);
    const [batch] = await batchesOf('lone-');
    const run = await waitForRun(local.cloud.clients, batch!.executionArn);

    // Assess: the good files loaded, the bad one FAILED with its reason, in the ledger and a notification.
    expect(run.status).toBe('FAILED');
    const bad = closed.find((item) => item.pk!.S!.includes('lone-bad.csv'))!;
    expect(bad.status!.S).toBe('FAILED');
    expect(bad.error?.S ?? '').not.toBe('');
    expect(closed.filter((item) => item.status!.S === 'SUCCEEDED')).toHaveLength(9);
    expect(await rowCount('customers', 'lone-good-')).toBe(90);
    const notes: Record<string, unknown>[] = [];
    await sweepQueue(local.cloud.clients.sqs, local.pipeline.notificationsQueueUrl, async (message) => {
      if (message.Body?.includes('lone-bad.csv'))
        notes.push(JSON.parse(message.Body) as Record<string, unknown>);
      return false;
    });
    expect(notes).toEqual([expect.objectContaining({ status: 'FAILED' })]);

    // Act: the fault is fixed, the execution redriven.
    await db.pool.query('DROP TRIGGER refuse_batch ON orders');
    await local.cloud.clients.sfn.send(new RedriveExecutionCommand({ executionArn: batch!.executionArn }));
    const redriven = await waitForRun(local.cloud.clients, batch!.executionArn);

    // Assess: it finished, every row once.
    expect(redriven.status).toBe('SUCCEEDED');
    const { Item } = await local.cloud.clients.dynamodb.send(
      new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: bad.pk! } }),
    );
    expect(Item?.status?.S).toBe('SUCCEEDED');
    expect(await rowCount('orders', 'lone-bad.csv')).toBe(30);
    expect(await rowCount('customers', 'lone-good-')).toBe(90);
  }, 180_000);
});
