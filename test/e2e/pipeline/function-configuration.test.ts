import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { logsWithOversizedLine } from '../../../samples/bad/oversized-rows.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

// Deploying the pipeline once set its configuration (endpoint, database, topic, ledger) on the
// whole process, and the failure handler ran in-process off it: a second local cloud in the same
// process got its failures recorded through the first one's clients. The functions, the failure
// handler among them, now get their configuration as Lambda functions do.

let database: ScratchDatabase;
beforeAll(async () => {
  database = await createScratchDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** The failure notification about `key` in the inbox: the failure handler's work, done. */
async function failureNotification(local: TestPipeline, key: string): Promise<unknown> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { Messages = [] } = await local.cloud.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: local.pipeline.notificationsQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const about = Messages.find((message) => message.Body?.includes(key));
    if (about) return JSON.parse(about.Body!);
  }
  return undefined;
}

/** The ledger's status of `fileId` once it is no longer RUNNING (the handler writes it beside notifying). */
async function settledLedgerStatus(local: TestPipeline, fileId: string): Promise<string | undefined> {
  let status: string | undefined;
  for (let attempt = 0; attempt < 50 && (status === undefined || status === 'RUNNING'); attempt++) {
    if (attempt) await new Promise((resolve) => setTimeout(resolve, 20));
    const { Item } = await local.cloud.clients.dynamodb.send(
      new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: { S: fileId } } }),
    );
    status = Item?.status?.S;
  }
  return status;
}

describe('the functions’ configuration', () => {
  it('deploying the pipeline leaves the process environment as it was', async () => {
    // Prepare
    const before = { ...process.env };

    // Act
    const local = await startTestPipeline(database.url);
    await local.stop();

    // Assess
    expect({ ...process.env }).toEqual(before);
  }, 60_000);

  it('each local cloud in one process records its own failures (the failure handler is configured per deployment)', async () => {
    for (const cloud of ['first', 'second']) {
      // Prepare: a new cloud on a port of its own each time.
      const local = await startTestPipeline(database.url);
      try {
        // Act: a line too big for a Map Run child fails the execution.
        const key = `input/logs/${cloud}.jsonl`;
        const run = await local.ingest(key, logsWithOversizedLine());

        // Assess: the failure handler notified through this cloud's topic and marked the file
        // FAILED in this cloud's ledger.
        expect(run.status).toBe('FAILED');
        expect(await failureNotification(local, key)).toMatchObject({
          status: 'FAILED',
          error: 'States.DataLimitExceeded',
        });
        expect(await settledLedgerStatus(local, run.fileId)).toBe('FAILED');
      } finally {
        await local.stop();
      }
    }
  }, 120_000);
});
