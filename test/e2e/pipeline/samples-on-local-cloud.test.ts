import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeMapRunCommand, ListExecutionsCommand, ListMapRunsCommand } from '@aws-sdk/client-sfn';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { summariseFile } from '../../../functions/notify/notify.ts';
import { datasets } from '../../../workflow/datasets/index.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

interface Expectation {
  dataset: string;
  status: 'SUCCEEDED' | 'FAILED';
  rows?: number;
  loaded: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  error?: string;
}
const { $comment: _comment, ...expectations } = JSON.parse(
  readFileSync('samples/expectations.json', 'utf8'),
) as Record<string, Expectation>;

let db: ScratchDatabase;
let local: TestPipeline;
beforeAll(async () => {
  db = await createScratchDatabase();
  local = await startTestPipeline(db.url);
}, 60_000);
afterAll(async () => {
  await local?.stop();
  await db?.drop();
});

async function notifications(): Promise<{ Subject?: string; Body: Record<string, unknown> }[]> {
  const out = await local.cloud.clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: local.pipeline.notificationsQueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
    }),
  );
  return (out.Messages ?? []).map((m) => ({ Body: JSON.parse(m.Body ?? '{}') }));
}

/** Items of the batches that failed (each is dead-lettered by the item processor's Catch). */
async function failedItems(executionArn: string): Promise<number> {
  const { mapRuns } = await local.cloud.clients.sfn.send(new ListMapRunsCommand({ executionArn }));
  let failed = 0;
  for (const { mapRunArn } of mapRuns ?? []) {
    const run = await local.cloud.clients.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    failed += (run.itemCounts?.failed ?? 0) + (run.itemCounts?.timedOut ?? 0);
  }
  return failed;
}

// A file through the whole local cloud takes well under a second, but the first one starts the
// Lambda workers and the CI machine is shared: jest's 5 s default failed runs under load.
const runTimeout = 30_000;

describe('the pipeline on the local cloud', () => {
  it.each(Object.entries(expectations))(
    '%s through S3 → EventBridge → Step Functions → PostgreSQL',
    async (path, expected) => {
      const key = `input/${expected.dataset}/${basename(path)}`;

      const run = await local.ingest(key, readFileSync(path));

      expect(run.status).toBe(expected.status);
      if (expected.error) expect(run.error).toBe(expected.error);
      const summary = await summariseFile(
        {
          file: { id: run.fileId, bucket: 'chute', key },
          dataset: expected.dataset,
          executionArn: run.executionArn,
          startedAt: new Date().toISOString(),
          status: 'SUCCEEDED',
        },
        datasets[expected.dataset],
        db.pool,
        new Date(),
      );
      expect({
        loaded: summary.loaded,
        rejected: summary.rejected,
        rejectedByReason: summary.rejectedByReason,
      }).toEqual({
        loaded: expected.loaded,
        rejected: expected.rejected,
        rejectedByReason: expected.rejectedByReason,
      });
      if (expected.rows !== undefined) {
        // Rows in = loaded + rejected + rows in dead letters (every failed batch is dead-lettered).
        expect(run.itemsTotal).toBe(expected.rows);
        expect(summary.loaded + summary.rejected + (await failedItems(run.executionArn))).toBe(
          run.itemsTotal,
        );
      }
      // The ledger closes with the file's status (a failure is recorded by the status-change rule)
      // and, for a loaded file, the same counts.
      let ledger: Record<string, { S?: string; N?: string }> | undefined;
      for (let i = 0; i < 100 && ledger?.status?.S !== expected.status; i++) {
        ledger = (
          await local.cloud.clients.dynamodb.send(
            new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: { S: run.fileId } } }),
          )
        ).Item;
        if (ledger?.status?.S !== expected.status) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(ledger?.status?.S).toBe(expected.status);
      if (expected.status === 'SUCCEEDED') {
        expect({ loaded: ledger?.loaded?.N, rejected: ledger?.rejected?.N }).toEqual({
          loaded: String(expected.loaded),
          rejected: String(expected.rejected),
        });
      }
    },
    runTimeout,
  );

  it('keeps what the bad samples said: a NUL escaped in the rejects table, the 20 digits of a numeric id', async () => {
    const rejects = await db.pool.query<{ sku: string; reasons: string[] }>(
      `SELECT raw->>'sku' AS sku, reasons FROM rejects WHERE source_file LIKE '%/orders-nul-byte.csv#%'`,
    );
    const ids = await db.pool.query<{ customer_id: string }>(
      `SELECT customer_id FROM customers WHERE source_file LIKE '%/customers-big-numbers.json#%' ORDER BY 1`,
    );

    expect(rejects.rows).toEqual([
      {
        sku: 'SKU-\\u0000A1',
        reasons: ['sku: contains a NUL character (U+0000), which PostgreSQL cannot store'],
      },
    ]);
    expect(ids.rows.map((row) => row.customer_id)).toEqual(['12345678901234567890', '9007199254740991']);
  });

  it('sends one notification per file with the counts from PostgreSQL', async () => {
    const messages = [];
    for (let i = 0; i < 5; i++) messages.push(...(await notifications()));
    const ordersMessage = messages.find((m) => (m.Body.file as string)?.includes('input/orders/orders.csv'));
    expect(ordersMessage?.Body).toMatchObject({ status: 'SUCCEEDED', loaded: 45, rejected: 7 });
    const failed = messages.find((m) => (m.Body.file as string)?.includes('logs-bad-line.jsonl'));
    expect(failed?.Body).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
  });

  it('loads the same upload event delivered twice once', async () => {
    const key = 'input/orders/twice.csv';
    const body =
      'order_id,customer_id,order_date,sku,quantity,unit_price,currency\nT-1,C-001,2024-01-01,SKU-1,1,1.00,USD\n';
    const first = await local.ingest(key, body);
    // The same event again, as EventBridge may deliver it: a second execution that does nothing.
    const matched = await local.cloud.bus.putEvent({
      version: '0',
      id: 'duplicate',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: {
        bucket: { name: 'chute' },
        object: { key, size: body.length, etag: first.fileId.split('#')[1] },
      },
    });
    expect(matched).toEqual(['chute-file-uploaded']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE order_id = 'T-1'`);
    expect(rows[0].n).toBe(1);
    const executions = await local.cloud.clients.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: local.pipeline.stateMachineArn }),
    );
    expect(executions.executions!.filter((e) => e.status === 'RUNNING')).toEqual([]);
  });

  it(
    'loads a burst of 10 files uploaded at once, each exactly once',
    async () => {
      const header = 'order_id,customer_id,order_date,sku,quantity,unit_price,currency';
      const files = Array.from({ length: 10 }, (_, f) => ({
        key: `input/orders/burst-${f}.csv`,
        body: [
          header,
          ...Array.from({ length: 150 }, (_, i) => `BURST-${f}-${i},C-001,2024-01-01,SKU-1,1,1.00,USD`),
        ].join('\n'),
      }));

      const runs = await Promise.all(files.map((file) => local.ingest(file.key, file.body)));

      expect(runs.map((run) => run.status)).toEqual(Array(10).fill('SUCCEEDED'));
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n, count(DISTINCT order_id)::int AS d FROM orders WHERE order_id LIKE 'BURST-%'`,
      );
      expect(rows[0]).toEqual({ n: 1500, d: 1500 });
    },
    runTimeout,
  );

  it('starts nothing for uploads outside input/ or with other suffixes', async () => {
    const before = (
      await local.cloud.clients.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: local.pipeline.stateMachineArn, maxResults: 1000 }),
      )
    ).executions!.length;
    for (const key of [
      'results/orders/x.csv',
      'input/orders/x.txt',
      'orders/x.csv',
      'input/orders/x.csv.partial',
    ]) {
      await local.cloud.clients.s3.send(
        new PutObjectCommand({ Bucket: 'chute', Key: key, Body: 'a,b\n1,2\n' }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = (
      await local.cloud.clients.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: local.pipeline.stateMachineArn, maxResults: 1000 }),
      )
    ).executions!.length;
    expect(after).toBe(before);
  });

  it('fails a file of an unknown dataset clearly and records it in the ledger', async () => {
    const run = await local.ingest('input/invoices/march.csv', 'a,b\n1,2\n');

    expect(run).toMatchObject({ status: 'FAILED', error: 'UnknownDatasetError' });
    expect(run.cause).toContain('No dataset invoices reads .csv files');
    const ledger = await local.cloud.clients.dynamodb.send(
      new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: { S: run.fileId } } }),
    );
    expect(ledger.Item?.status?.S).toBe('REJECTED');
  });
});
