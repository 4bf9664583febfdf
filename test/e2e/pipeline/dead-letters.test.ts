import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { sweepQueue } from '../../../functions/dead-letter/aws-ports.ts';
import { POINTER_CLASS } from '../../../functions/dead-letter/dead-letter.ts';
import { listDeadLetters, type DeadLetterEntry } from '../../../local/services/dead-letters.ts';
import { main } from '../../../local/cli/main.ts';
import { waitForRun } from '../../../local/cli/wait-for-file.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

const header = 'order_id,customer_id,order_date,sku,quantity,unit_price,currency';
const ordersCsv = (prefix: string, count: number) =>
  [
    header,
    ...Array.from({ length: count }, (_, i) => `${prefix}-${i},C-001,2024-01-01,SKU-1,1,10.00,USD`),
  ].join('\n');

/**
 * 20,000 bytes that look random but are the same every run (SHA-256 in counter mode), with a
 * U+FFFF (EF BF BF), which SQS refuses in a message body, in every 1,000 bytes.
 */
const binaryFile = (): Buffer => {
  const bytes = Buffer.concat(
    Array.from({ length: 625 }, (_, i) => createHash('sha256').update(`chute-binary-${i}`).digest()),
  );
  for (let at = 500; at < bytes.length; at += 1000) bytes.set([0x0a, 0xef, 0xbf, 0xbf], at);
  return bytes;
};

/** Runs `chute …` in-process against the local cloud and returns what it printed. */
async function chute(local: TestPipeline, ...args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    lines.push(parts.join(' '));
  });
  try {
    await main(['node', 'chute', ...args, '--endpoint', local.cloud.url]);
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

describe('dead letters', () => {
  let db: ScratchDatabase;
  let local: TestPipeline;
  const letters = () => listDeadLetters(local.cloud.clients, local.pipeline.deadLetterQueueUrl);
  const lettersOf = async (executionArn: string) =>
    (await letters()).filter((e) => e.parentExecution === executionArn);
  const rowsIn = (entries: DeadLetterEntry[]) => entries.reduce((sum, e) => sum + e.rows, 0);
  const count = async (sql: string, file: string) =>
    (await db.pool.query<{ n: number }>(sql, [file])).rows[0]!.n;

  beforeAll(async () => {
    db = await createScratchDatabase();
    local = await startTestPipeline(db.url);
    // A database rule that refuses what a test marks: its batches fail (DatabaseError, not retried).
    await db.pool.query(`CREATE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.source_file LIKE '%refused%' THEN RAISE EXCEPTION 'refused by the test'; END IF;
      RETURN NEW; END $$`);
    for (const table of ['orders', 'rejects'])
      await db.pool.query(
        `CREATE TRIGGER refuse_marked BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_marked()`,
      );
  }, 120_000);
  afterEach(async () => {
    await local.cloud.clients.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: local.pipeline.deadLetterQueueUrl,
        Attributes: { MaximumMessageSize: '1048576' },
      }),
    );
  });
  afterAll(async () => {
    await local?.stop();
    await db?.drop();
  });

  it('a binary file renamed .csv: every failed batch reaches the queue, and its rows balance', async () => {
    const run = await local.ingest('input/orders/refused-binary.csv', binaryFile());

    expect(run.status).toBe('FAILED');
    expect(run.failedBatches).toBeGreaterThan(0);
    const entries = await lettersOf(run.executionArn);
    expect(entries).toHaveLength(run.failedBatches);
    // The case really happened: the letters hold a character SQS refuses raw.
    const text = JSON.stringify(entries.map((e) => e.letter!.batch));
    expect(text).toContain('\uFFFF');
    const [loaded, rejected] = await Promise.all([
      count('SELECT count(*)::int AS n FROM orders WHERE source_file = $1', run.fileId),
      count('SELECT count(*)::int AS n FROM rejects WHERE source_file = $1', run.fileId),
    ]);
    expect(loaded + rejected + rowsIn(entries)).toBe(run.itemsTotal);
  }, 60_000);

  it('a dead letter over the queue size limit goes to S3, with an extended-client pointer in the queue', async () => {
    await local.cloud.clients.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: local.pipeline.deadLetterQueueUrl,
        Attributes: { MaximumMessageSize: '1024' },
      }),
    );

    const run = await local.ingest('input/orders/refused-big.csv', ordersCsv('G', 150));

    expect(run.status).toBe('FAILED');
    const entries = await lettersOf(run.executionArn);
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(JSON.parse(entry.raw)).toEqual([
        POINTER_CLASS,
        { s3BucketName: local.pipeline.bucket, s3Key: expect.stringMatching(/^dead-letters\//) },
      ]);
      const object = await local.cloud.clients.s3.send(
        new GetObjectCommand({ Bucket: entry.pointer!.s3BucketName, Key: entry.pointer!.s3Key }),
      );
      expect(JSON.parse(await object.Body!.transformToString())).toMatchObject({ stage: 'load' });
    }
    expect(rowsIn(entries)).toBe(150);
  }, 60_000);

  it('dlq list shows every letter with its rows, and a message that is not one; replay redrives and clears', async () => {
    const run = await local.ingest('input/orders/refused-many.csv', ordersCsv('M', 1500));
    await local.cloud.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: local.pipeline.deadLetterQueueUrl, MessageBody: 'not JSON at all' }),
    );

    const listed = await chute(local, 'dlq', 'list');
    const again = await chute(local, 'dlq', 'list');

    // ToleratedFailurePercentage 0: the Map Run stops after the batches in flight (MaxConcurrency 10).
    expect(run.status).toBe('FAILED');
    expect(run.failedBatches).toBeGreaterThanOrEqual(10);
    const ours = listed.split('\n').filter((l) => l.includes('refused-many.csv'));
    expect(ours).toHaveLength(run.failedBatches);
    expect(ours.every((l) => l.includes('(100 rows)'))).toBe(true);
    expect(listed).toContain('not a dead letter');
    expect(listed).toContain('not JSON at all');
    expect(again).toBe(listed);

    // The cause is fixed; replay redrives the execution, whose success removes its dead letters.
    await db.pool.query(`DROP TRIGGER refuse_marked ON orders`);
    const replayed = await chute(local, 'dlq', 'replay');
    expect(replayed).toContain(
      `redriven ${run.executionArn} (${run.failedBatches} dead letters, ${run.failedBatches * 100} rows)`,
    );
    const redriven = await waitForRun(local.cloud.clients, run.executionArn);

    expect(redriven.status).toBe('SUCCEEDED');
    expect(await count('SELECT count(*)::int AS n FROM orders WHERE source_file = $1', run.fileId)).toBe(
      1500,
    );
    expect((await lettersOf(run.executionArn)).length).toBe(0);
    const { Item } = await local.cloud.clients.dynamodb.send(
      new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: { S: run.fileId } } }),
    );
    expect(Item?.status?.S).toBe('SUCCEEDED');
    expect(Item?.error).toBeUndefined();
    await db.pool.query(
      'CREATE TRIGGER refuse_marked BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION refuse_marked()',
    );
  }, 120_000);

  it("chute logs prints a failed EXPRESS child's error from the state machine's log", async () => {
    const run = await local.ingest('input/orders/refused-logged.csv', ordersCsv('L', 2));
    expect(run.status).toBe('FAILED');

    const ofParent = (await chute(local, 'logs', run.executionArn)).split('\n');

    // The pipeline logs ERROR: the child's failed Task with its error, under the child's ARN.
    const failedTask = ofParent.find((line) => / TaskFailed /.test(line));
    expect(failedTask).toMatch(/ TaskFailed arn:aws:states:[^ ]+:express:chute-pipeline\/\S+ DatabaseError /);
    expect(failedTask).toContain('refused by the test');
    expect(ofParent.some((line) => line.includes(` ExecutionFailed ${run.executionArn}`))).toBe(true);
    const child = / TaskFailed (\S+) /.exec(failedTask!)![1]!;
    const ofChild = (await chute(local, 'logs', child)).split('\n');
    expect(ofChild.length).toBeGreaterThan(0);
    expect(ofChild.every((line) => line.includes(child))).toBe(true);
    expect(ofChild).toContain(failedTask);
  }, 60_000);

  it('chute notifications shows every notification, not ten', async () => {
    const marker = `inbox-${Date.now()}`;
    for (let i = 0; i < 14; i++)
      await local.cloud.clients.sns.send(
        new PublishCommand({
          TopicArn: local.pipeline.topicArn,
          Message: JSON.stringify({ status: 'SUCCEEDED', file: `${marker}-${i}`, loaded: 1, rejected: 0 }),
        }),
      );
    let inbox = 0;
    for (let i = 0; i < 100 && inbox < 14; i++) {
      inbox = 0;
      await sweepQueue(local.cloud.clients.sqs, local.pipeline.notificationsQueueUrl, async (m) => {
        if (m.Body?.includes(marker)) inbox++;
        return false;
      });
    }

    const shown = await chute(local, 'notifications');

    expect(shown.split('\n').filter((l) => l.includes(marker))).toHaveLength(14);
  }, 60_000);
});
