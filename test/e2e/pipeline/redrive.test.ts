import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, ListMapRunsCommand, RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import pg from 'pg';
import { sweepQueue } from '../../../functions/dead-letter/aws-ports.ts';
import { listDeadLetters } from '../../../local/services/dead-letters.ts';
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

/** The dead letters of one execution (the whole queue is read; every message stays). */
async function deadLetters(local: TestPipeline, executionArn: string): Promise<Record<string, unknown>[]> {
  const entries = await listDeadLetters(local.cloud.clients, local.pipeline.deadLetterQueueUrl);
  return entries.filter((e) => e.parentExecution === executionArn).map((e) => e.letter!);
}

/** The notifications the inbox holds about `key` (every message stays). */
async function notificationsOf(local: TestPipeline, key: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  // The failure rule runs once the execution has ended: give it a few seconds.
  for (const deadline = Date.now() + 5000; !found.length && Date.now() < deadline;) {
    await sweepQueue(local.cloud.clients.sqs, local.pipeline.notificationsQueueUrl, async (message) => {
      if (message.Body?.includes(key)) found.push(JSON.parse(message.Body) as Record<string, unknown>);
      return false;
    });
    if (!found.length) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return found;
}

async function ledgerItem(local: TestPipeline, fileId: string) {
  const { Item } = await local.cloud.clients.dynamodb.send(
    new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: { S: fileId } } }),
  );
  return Item;
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
    const letters = await deadLetters(local, run.executionArn);
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
    // The children are EXPRESS: the redrive starts the failed batch anew, through every stage,
    // and the failed run stays beside it (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html).
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
    // The ledger follows the execution: no error left from the failed attempt; the batch the
    // redrive loaded is no longer a dead letter.
    expect((await ledgerItem(local, run.fileId))?.error).toBeUndefined();
    expect(await deadLetters(local, run.executionArn)).toEqual([]);
    await admin.end();
  }, 60_000);

  it('with PostgreSQL stopped: retries, dead letters, FAILED; started again and redriven: every row once', async () => {
    await postgres.stop();

    const run = await local.ingest('input/orders/outage.csv', ordersCsv('P', 250));

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.ExceedToleratedFailureThreshold');
    const letters = await deadLetters(local, run.executionArn);
    expect(letters.length).toBeGreaterThanOrEqual(1);
    expect(letters.every((letter) => letter.error === 'TransientError')).toBe(true);
    // The failure is recorded and notified although the counts cannot be read.
    expect(await ledgerStatus(local, run.fileId, 'FAILED')).toBe('FAILED');
    expect(await notificationsOf(local, 'outage.csv')).toEqual([
      expect.objectContaining({
        status: 'FAILED',
        loaded: null,
        rejected: null,
        countsUnknown: expect.stringContaining('the database could not be read'),
        error: 'States.ExceedToleratedFailureThreshold',
      }),
    ]);

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
    expect((await ledgerItem(local, run.fileId))?.error).toBeUndefined();
    expect(await deadLetters(local, run.executionArn)).toEqual([]);
  }, 60_000);
});
