import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import pg from 'pg';
import { sweepQueue } from '../../../functions/dead-letter/aws-ports.ts';
import { waitForRun } from '../../../local/cli/wait-for-file.ts';
import { executionStatusChangeEvent } from '../../../local/services/execution-events.ts';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../../local/services/postgres.ts';
import { fileUploadedPattern } from '../../../workflow/event-pattern.ts';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

// A batch execution started as EventBridge Pipes starts it for an SQS source: the input is the
// array of SQS records, each body the S3 Object Created event as EventBridge delivered it
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-sqs.html).

const ordersCsv = (ids: string[]) =>
  [
    'order_id,customer_id,order_date,sku,quantity,unit_price,currency',
    ...ids.map((id) => `${id},C-001,2024-01-01,SKU-1,1,10.00,USD`),
  ].join('\n');
const customersJson = (ids: string[]) =>
  JSON.stringify(
    ids.map((id) => ({
      customer_id: id,
      name: `Customer ${id}`,
      email: `${id.toLowerCase()}@example.com`,
      country: 'GB',
      region: 'Europe',
      signed_up_on: '2023-01-15',
    })),
  );

interface Uploaded {
  key: string;
  fileId: string;
  event: unknown;
}

describe('a batch of small files in one execution', () => {
  let postgres: RunningPostgres;
  let pgDir: string;
  let local: TestPipeline;
  let admin: pg.Client;
  // The upload rule hands the S3 events to the test instead of starting an execution per file:
  // the test is the SQS buffer and the pipe.
  const events = new Map<string, unknown>();

  beforeAll(async () => {
    pgDir = await mkdtemp(join(tmpdir(), 'chute-batch-pg-'));
    postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort() });
    local = await startTestPipeline(postgres.url);
    local.cloud.bus.putRule({
      name: ResourceNames.rule,
      pattern: fileUploadedPattern(local.pipeline.bucket),
      target: async (event) => {
        events.set((event as { detail: { object: { key: string } } }).detail.object.key, event);
      },
    });
    admin = new pg.Client({ connectionString: postgres.url });
    admin.on('error', () => {});
    await admin.connect();
  }, 120_000);
  afterAll(async () => {
    await admin?.end();
    await local?.stop();
    await postgres?.stop();
    await rm(pgDir, { recursive: true, force: true });
  });

  async function upload(key: string, body: string): Promise<Uploaded> {
    const { s3 } = local.cloud.clients;
    await s3.send(new PutObjectCommand({ Bucket: local.pipeline.bucket, Key: key, Body: body }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: local.pipeline.bucket, Key: key }));
    const fileId = `s3://${local.pipeline.bucket}/${key}#${(head.ETag ?? '').replaceAll('"', '')}`;
    for (let i = 0; i < 100 && !events.has(key); i++) await new Promise((r) => setTimeout(r, 10));
    return { key, fileId, event: events.get(key) };
  }

  const sqsRecord = (event: unknown) => {
    const body = JSON.stringify(event);
    return {
      messageId: randomUUID(),
      receiptHandle: randomUUID(),
      body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:chute-small-files',
      awsRegion: 'us-east-1',
    };
  };

  async function runBatch(files: Uploaded[]) {
    const { executionArn } = await local.cloud.clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: local.pipeline.stateMachineArn,
        input: JSON.stringify(files.map((f) => sqsRecord(f.event))),
      }),
    );
    return waitForRun(local.cloud.clients, executionArn!);
  }

  const ledger = async (fileId: string) => {
    const { Item } = await local.cloud.clients.dynamodb.send(
      new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: { S: fileId } } }),
    );
    return Item;
  };

  /** Every notification about a key, after the failure rule had a moment (every message stays). */
  async function notificationsOf(key: string): Promise<Record<string, unknown>[]> {
    await new Promise((r) => setTimeout(r, 300));
    const found: Record<string, unknown>[] = [];
    await sweepQueue(local.cloud.clients.sqs, local.pipeline.notificationsQueueUrl, async (message) => {
      const body = JSON.parse(message.Body!) as Record<string, unknown>;
      if (String(body.file).includes(`/${key}#`)) found.push(body);
      return false;
    });
    return found;
  }

  async function history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await local.cloud.clients.sfn.send(
        new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
      );
      events.push(...page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  async function childStatuses(executionArn: string): Promise<string[]> {
    const { mapRuns } = await local.cloud.clients.sfn.send(new ListMapRunsCommand({ executionArn }));
    const { executions } = await local.cloud.clients.sfn.send(
      new ListExecutionsCommand({ mapRunArn: mapRuns![0]!.mapRunArn, maxResults: 1000 }),
    );
    return executions!.map((e) => e.status!).sort();
  }

  it('loads 20 files of two datasets once each, with a ledger entry and a notification per file', async () => {
    const orders = await Promise.all(
      Array.from({ length: 12 }, (_, f) =>
        upload(`input/orders/batch-${f}.csv`, ordersCsv([0, 1, 2, 3, 4].map((i) => `BO${f}-${i}`))),
      ),
    );
    const customers = await Promise.all(
      Array.from({ length: 8 }, (_, f) =>
        upload(`input/customers/batch-${f}.json`, customersJson([0, 1, 2].map((i) => `BC${f}-${i}`))),
      ),
    );
    const unknown = await upload('input/widgets/batch.csv', 'id\n1\n');
    // The same upload event twice in one batch (SQS delivers at least once).
    const batch = [...orders, ...customers, orders[0]!, unknown];

    const run = await runBatch(batch);

    expect(run.status).toBe('SUCCEEDED');
    const { rows } = await admin.query(
      `SELECT (SELECT count(*)::int FROM orders WHERE order_id LIKE 'BO%') AS orders,
              (SELECT count(DISTINCT order_id)::int FROM orders WHERE order_id LIKE 'BO%') AS distinct_orders,
              (SELECT count(*)::int FROM customers WHERE customer_id LIKE 'BC%') AS customers`,
    );
    expect(rows[0]).toEqual({ orders: 60, distinct_orders: 60, customers: 24 });
    for (const file of [...orders, ...customers]) {
      const item = await ledger(file.fileId);
      expect({ key: file.key, status: item?.status?.S, loaded: item?.loaded?.N }).toEqual({
        key: file.key,
        status: 'SUCCEEDED',
        loaded: file.key.endsWith('.csv') ? '5' : '3',
      });
      expect(item?.executionArn?.S).toBe(run.executionArn);
    }
    expect((await ledger(unknown.fileId))?.status?.S).toBe('REJECTED');
    expect(await notificationsOf('batch-0.csv')).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', loaded: 5, dataset: 'orders' }),
    ]);
    expect(await notificationsOf('batch-7.json')).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', loaded: 3, dataset: 'customers' }),
    ]);
    expect(await notificationsOf('widgets/batch.csv')).toEqual([
      expect.objectContaining({ status: 'FAILED', error: 'UnknownDatasetError' }),
    ]);
    // The STANDARD parent's transitions do not grow with the files: 22 records, 3 children.
    const entered = (await history(run.executionArn)).filter((e) => e.type!.endsWith('StateEntered'));
    expect(entered.map((e) => e.stateEnteredEventDetails!.name)).toEqual([
      'CheckInput',
      'ProcessFileBatch',
      'WasBatchRedriven',
      'BatchLoaded',
    ]);
    expect(await childStatuses(run.executionArn)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  }, 120_000);

  it('fails one bad file alone; a redrive after the fix loads it once and skips the finished files', async () => {
    // A database rule refuses one order: its file's load fails (DatabaseError, not retried).
    await admin.query(`CREATE FUNCTION refuse_bad() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.order_id = 'BAD-1' THEN RAISE EXCEPTION 'order BAD-1 is refused'; END IF; RETURN NEW; END $$`);
    await admin.query(
      'CREATE TRIGGER refuse_bad BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION refuse_bad()',
    );
    const files = await Promise.all(
      Array.from({ length: 12 }, (_, f) =>
        upload(
          `input/orders/redrive-${f}.csv`,
          ordersCsv(f === 3 ? ['BAD-0', 'BAD-1'] : [0, 1, 2].map((i) => `RO${f}-${i}`)),
        ),
      ),
    );
    const bad = files[3]!;

    const run = await runBatch(files);

    expect(run.status).toBe('FAILED');
    const entered = (await history(run.executionArn)).filter((e) => e.type!.endsWith('StateEntered'));
    expect(entered.at(-1)?.stateEnteredEventDetails?.name).toBe('ProcessFileBatch');
    expect(await childStatuses(run.executionArn)).toEqual(['FAILED', 'SUCCEEDED']);
    expect((await ledger(bad.fileId))?.status?.S).toBe('FAILED');
    expect((await ledger(bad.fileId))?.error?.S).toMatch(/^DatabaseError: load: .*BAD-1 is refused/);
    for (const file of files.filter((f) => f !== bad))
      expect((await ledger(file.fileId))?.status?.S).toBe('SUCCEEDED');
    expect(await notificationsOf('redrive-3.csv')).toEqual([
      expect.objectContaining({ status: 'FAILED', error: 'DatabaseError' }),
    ]);

    await admin.query('DROP TRIGGER refuse_bad ON orders');
    await local.cloud.clients.sfn.send(new RedriveExecutionCommand({ executionArn: run.executionArn }));
    const redriven = await waitForRun(local.cloud.clients, run.executionArn);

    expect(redriven.status).toBe('SUCCEEDED');
    expect(await childStatuses(run.executionArn)).toEqual(['FAILED', 'SUCCEEDED', 'SUCCEEDED']);
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n, count(DISTINCT order_id)::int AS distinct_ids FROM orders
       WHERE order_id LIKE 'RO%' OR order_id LIKE 'BAD-%'`,
    );
    expect(rows[0]).toEqual({ n: 35, distinct_ids: 35 });
    const item = await ledger(bad.fileId);
    expect({ status: item?.status?.S, loaded: item?.loaded?.N, error: item?.error }).toEqual({
      status: 'SUCCEEDED',
      loaded: '2',
      error: undefined,
    });
    // The files the first attempt finished were skipped by the redrive: one notification each.
    expect(await notificationsOf('redrive-0.csv')).toHaveLength(1);
  }, 120_000);

  it('a batch that ended badly: the failure rule fails and notifies only the files left RUNNING under its claims', async () => {
    // What a child cannot report itself (aborted, timed out, over the payload limit) is left
    // RUNNING; the execution's status-change event goes to the failure rule.
    const [running, failed, theirs] = await Promise.all(
      ['left-running', 'failed-by-child', 'claimed-elsewhere'].map((name) =>
        upload(`input/orders/${name}.csv`, ordersCsv([`${name}-0`])),
      ),
    );
    const executionArn = `${local.pipeline.stateMachineArn.replace(':stateMachine:', ':execution:')}:aborted-batch`;
    const put = (file: Uploaded, status: string, claim: string) =>
      local.cloud.clients.dynamodb.send(
        new PutItemCommand({
          TableName: local.pipeline.ledgerTable,
          Item: {
            pk: { S: file.fileId },
            status: { S: status },
            claim: { S: claim },
            executionArn: { S: executionArn },
          },
        }),
      );
    await put(running!, 'RUNNING', `${executionArn}#0`);
    await put(failed!, 'FAILED', `${executionArn}#1`);
    await put(theirs!, 'RUNNING', 'arn:aws:states:us-east-1:000000000000:execution:chute-pipeline:other#5');

    await local.cloud.bus.putEvent(
      executionStatusChangeEvent(
        {
          executionArn,
          stateMachineArn: local.pipeline.stateMachineArn,
          name: 'aborted-batch',
          status: 'ABORTED',
          startDate: Date.now() / 1000,
          input: JSON.stringify([running, failed, theirs].map((f) => sqsRecord(f!.event))),
          cause: 'stopped by a person',
        },
        local.cloud.account,
      ),
    );

    const item = await ledger(running!.fileId);
    expect({ status: item?.status?.S, error: item?.error?.S }).toEqual({
      status: 'FAILED',
      error: 'ABORTED: stopped by a person',
    });
    expect(await notificationsOf('left-running.csv')).toEqual([
      expect.objectContaining({ status: 'FAILED', error: 'ABORTED' }),
    ]);
    expect(await notificationsOf('failed-by-child.csv')).toEqual([]);
    expect((await ledger(theirs!.fileId))?.status?.S).toBe('RUNNING');
    expect(await notificationsOf('claimed-elsewhere.csv')).toEqual([]);
  }, 120_000);
});
