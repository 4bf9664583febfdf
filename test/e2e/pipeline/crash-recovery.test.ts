import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { sweepQueue } from '../../../functions/dead-letter/aws-ports.ts';
import { executionOfFile, waitForRun } from '../../../local/cli/wait-for-file.ts';
import { deployPipeline } from '../../../local/stack.ts';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

const header = 'order_id,customer_id,order_date,sku,quantity,unit_price,currency';
const ordersCsv = (prefix: string, count: number) =>
  [
    header,
    ...Array.from({ length: count }, (_, i) => `${prefix}-${i},C-001,2024-01-01,SKU-1,1,10.00,USD`),
  ].join('\n');

/** The notifications the inbox holds that mention `file` (they stay in the queue). */
async function notificationsOf(local: TestPipeline, file: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  await sweepQueue(local.cloud.clients.sqs, local.pipeline.notificationsQueueUrl, async (message) => {
    if (message.Body?.includes(file)) found.push(JSON.parse(message.Body) as Record<string, unknown>);
    return false;
  });
  return found;
}

// What a crash leaves: the Step Functions API fails the executions that were running when the
// process died as it starts again (States.Runtime), before the pipeline's failure rule exists, so
// their status-change event reaches no rule, and their files' ledger items still say RUNNING.
// Here the same state is made without killing the test's own process (killing `chute up` and
// starting it again does not work yet: dynalite fails to reopen its data, and aborting a Map Run
// whose children are inside a Lambda makes a late write to its result spool reach the process):
// the failure rule is deafened, the execution fails, and the pipeline is deployed again as
// `chute up` does at start.
describe('an execution that ended while no failure rule heard it (a crash)', () => {
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

  it('is announced at the next start: the ledger says FAILED and the notification goes out; redriven, SUCCEEDED without an error', async () => {
    // Prepare: loads that fail, and a failure rule that hears nothing.
    await db.pool.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await db.pool.query(
      'CREATE TRIGGER refuse BEFORE INSERT ON orders FOR EACH STATEMENT EXECUTE FUNCTION refuse()',
    );
    local.cloud.bus.putRule({
      name: ResourceNames.failureRule,
      pattern: { source: ['aws.states'] },
      target: async () => {},
    });
    const key = 'input/orders/crash.csv';
    await local.cloud.clients.s3.send(
      new PutObjectCommand({ Bucket: local.pipeline.bucket, Key: key, Body: ordersCsv('K', 300) }),
    );
    const head = await local.cloud.clients.s3.send(
      new HeadObjectCommand({ Bucket: local.pipeline.bucket, Key: key }),
    );
    const fileId = `s3://${local.pipeline.bucket}/${key}#${head.ETag!.replaceAll('"', '')}`;
    const executionArn = await executionOfFile(local.cloud.clients, local.pipeline.ledgerTable, fileId);
    const run = await waitForRun(local.cloud.clients, executionArn);
    expect(run.status).toBe('FAILED');
    const ledger = async () =>
      (
        await local.cloud.clients.dynamodb.send(
          new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: { S: fileId } } }),
        )
      ).Item;
    expect((await ledger())?.status?.S).toBe('RUNNING');

    // Act: start again (deploying the pipeline is what `chute up` does at start).
    const again = await deployPipeline(local.cloud, {
      dataDir: local.dataDir,
      databaseUrl: local.pipeline.databaseUrl,
    });

    // Assess
    const { status } = await local.cloud.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(status).toBe('FAILED');
    expect((await ledger())?.status?.S).toBe('FAILED');
    expect(await notificationsOf(local, 'crash.csv')).toEqual([
      expect.objectContaining({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' }),
    ]);

    await db.pool.query('DROP TRIGGER refuse ON orders');
    await local.cloud.clients.sfn.send(new RedriveExecutionCommand({ executionArn }));
    const redriven = await waitForRun(local.cloud.clients, executionArn);

    expect(redriven.status).toBe('SUCCEEDED');
    const item = await ledger();
    expect(item?.status?.S).toBe('SUCCEEDED');
    expect(item?.loaded?.N).toBe('300');
    expect(item?.error).toBeUndefined();
    await again.close();
  }, 120_000);
});
