import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, ListMapRunsCommand, RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import pg from 'pg';
import { waitForRun } from '../../../local/cli/wait-for-file.ts';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../../local/services/postgres.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

const header = 'order_id,customer_id,order_date,sku,quantity,unit_price,currency';
const ordersCsv = (prefix: string, count: number) =>
  [
    header,
    ...Array.from({ length: count }, (_, i) => `${prefix}-${i},C-001,2024-01-01,SKU-1,1,10.00,USD`),
  ].join('\n');

async function childStatuses(local: TestPipeline, executionArn: string): Promise<string[]> {
  const { mapRuns } = await local.cloud.clients.sfn.send(new ListMapRunsCommand({ executionArn }));
  const { executions } = await local.cloud.clients.sfn.send(
    new ListExecutionsCommand({ mapRunArn: mapRuns![0]!.mapRunArn, maxResults: 1000 }),
  );
  return executions!.map((e) => e.status!).sort();
}

async function deadLetters(local: TestPipeline): Promise<Record<string, unknown>[]> {
  const out = await local.cloud.clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: local.pipeline.deadLetterQueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
    }),
  );
  return (out.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}'));
}

async function ledgerStatus(local: TestPipeline, fileId: string, want: string): Promise<string | undefined> {
  let status: string | undefined;
  for (let i = 0; i < 100 && status !== want; i++) {
    const { Item } = await local.cloud.clients.dynamodb.send(
      new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: { S: fileId } } }),
    );
    status = Item?.status?.S;
    if (status !== want) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return status;
}

describe('failures and redrive', () => {
  let postgres: RunningPostgres;
  let pgDir: string;
  let port: number;
  let local: TestPipeline;
  beforeAll(async () => {
    pgDir = await mkdtemp(join(tmpdir(), 'chute-redrive-pg-'));
    port = await freePort();
    postgres = await startEmbeddedPostgres({ dataDir: pgDir, port });
    local = await startTestPipeline(postgres.url);
  }, 120_000);
  afterAll(async () => {
    await local?.stop();
    await postgres?.stop();
    await rm(pgDir, { recursive: true, force: true });
  });

  it('reruns only the batch that failed once its cause is fixed', async () => {
    // A database rule refuses one order: its batch fails (DatabaseError, not retried), the others load.
    const admin = new pg.Client({ connectionString: postgres.url });
    admin.on('error', () => {});
    await admin.connect();
    await admin.query(`CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.order_id = 'B-150' THEN RAISE EXCEPTION 'order B-150 is refused'; END IF; RETURN NEW; END $$`);
    await admin.query(
      'CREATE TRIGGER refuse_boom BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION refuse_boom()',
    );

    const run = await local.ingest('input/orders/batches.csv', ordersCsv('B', 300));

    expect(run.status).toBe('FAILED');
    expect(await childStatuses(local, run.executionArn)).toEqual(['FAILED', 'SUCCEEDED', 'SUCCEEDED']);
    const letters = await deadLetters(local);
    expect(letters).toEqual([
      expect.objectContaining({
        stage: 'load',
        error: 'DatabaseError',
        file: expect.objectContaining({ key: 'input/orders/batches.csv' }),
      }),
    ]);
    expect(await ledgerStatus(local, run.fileId, 'FAILED')).toBe('FAILED');

    await admin.query('DROP TRIGGER refuse_boom ON orders');
    await local.cloud.clients.sfn.send(new RedriveExecutionCommand({ executionArn: run.executionArn }));
    const redriven = await waitForRun(local.cloud.clients, run.executionArn);

    expect(redriven.status).toBe('SUCCEEDED');
    expect(await childStatuses(local, run.executionArn)).toEqual([
      'FAILED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n, count(DISTINCT order_id)::int AS distinct_ids FROM orders WHERE order_id LIKE 'B-%'`,
    );
    expect(rows[0]).toEqual({ n: 300, distinct_ids: 300 });
    expect(await ledgerStatus(local, run.fileId, 'SUCCEEDED')).toBe('SUCCEEDED');
    await admin.end();
  });

  it('with PostgreSQL stopped: retries, dead letters, FAILED; started again and redriven: every row once', async () => {
    await postgres.stop();

    const run = await local.ingest('input/orders/outage.csv', ordersCsv('P', 250));

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.ExceedToleratedFailureThreshold');
    const letters = await deadLetters(local);
    expect(letters.length).toBeGreaterThanOrEqual(1);
    expect(letters.every((letter) => letter.error === 'TransientError')).toBe(true);

    postgres = await startEmbeddedPostgres({ dataDir: pgDir, port });
    await local.cloud.clients.sfn.send(new RedriveExecutionCommand({ executionArn: run.executionArn }));
    const redriven = await waitForRun(local.cloud.clients, run.executionArn);

    expect(redriven.status).toBe('SUCCEEDED');
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT count(*)::int AS n, count(DISTINCT order_id)::int AS distinct_ids FROM orders WHERE order_id LIKE 'P-%'`,
    );
    await client.end();
    expect(rows[0]).toEqual({ n: 250, distinct_ids: 250 });
    expect(await ledgerStatus(local, run.fileId, 'SUCCEEDED')).toBe('SUCCEEDED');
  });
});
