import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { awsCli } from '../../support/aws-cli.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { executionOfFile, waitForRun } from '../../../local/cli/wait-for-file.ts';
import { oversizedSamples } from '../../../samples/bad/oversized-rows.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

// Issue 12: one row too big for a Map Run child (a 5 MiB CSV field, a 2 MB JSONL line, each
// between good rows) threw States.DataLimitExceeded out of the engine and Node exited, taking
// S3, SQS, DynamoDB and Step Functions with it; after a restart `chute redrive` did it again.
// AWS fails the Map Run, so the execution, with States.DataLimitExceeded: so must we, and the
// local cloud must go on answering. Uploads and redrives go through the AWS CLI, as users do.

let db: ScratchDatabase;
let dataDir: string;
let filesDir: string;
let local: TestPipeline;
const aws = async (...args: string[]) => awsCli(local.cloud.url, ...args);

/** The local cloud still serves S3 (through the CLI) and Step Functions (through the SDK). */
async function stillAnswers(): Promise<void> {
  expect(await aws('s3', 'ls', `s3://${local.pipeline.bucket}/input/`)).toMatch(/PRE orders\//);
  const { stateMachines } = await local.cloud.clients.sfn.send(new ListStateMachinesCommand({}));
  expect(stateMachines!.map((machine) => machine.name)).toContain('chute-pipeline');
}

/** The ledger's record of a file: the failure handler writes it before it notifies. */
async function ledgerOf(fileId: string): Promise<Record<string, string | undefined>> {
  const { Item } = await local.cloud.clients.dynamodb.send(
    new GetItemCommand({ TableName: local.pipeline.ledgerTable, Key: { pk: { S: fileId } } }),
  );
  return { status: Item?.status?.S, error: Item?.error?.S };
}

/** Waits for the failure handler's notification of `file`: the last thing a failed file does. */
async function failureNotified(file: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const { Messages } = await local.cloud.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: local.pipeline.notificationsQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    for (const message of Messages ?? []) {
      const body = JSON.parse(message.Body ?? '{}') as Record<string, unknown>;
      if (typeof body.file !== 'string' || !body.file.includes(file)) continue;
      // Taken off the queue, so the redrive's notification is not mistaken for this one.
      await local.cloud.clients.sqs.send(
        new DeleteMessageCommand({
          QueueUrl: local.pipeline.notificationsQueueUrl,
          ReceiptHandle: message.ReceiptHandle,
        }),
      );
      return body;
    }
  }
  throw new Error(`no failure notification for ${file}`);
}

beforeAll(async () => {
  db = await createScratchDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'chute-oversized-'));
  filesDir = await mkdtemp(join(tmpdir(), 'chute-oversized-files-'));
  local = await startTestPipeline(db.url, dataDir);
}, 60_000);
afterAll(async () => {
  await local?.stop();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(filesDir, { recursive: true, force: true });
});

describe('a row too big for a Map Run child', () => {
  const executions: Record<string, { executionArn: string; key: string; fileId: string }> = {};

  it.each(Object.entries(oversizedSamples))(
    '%s fails its execution with States.DataLimitExceeded and nothing else',
    async (name, { dataset, body }) => {
      const path = join(filesDir, name);
      await writeFile(path, body());
      const key = `input/${dataset}/${name}`;

      await aws('s3', 'cp', path, `s3://${local.pipeline.bucket}/${key}`);
      const head = await local.cloud.clients.s3.send(
        new HeadObjectCommand({ Bucket: local.pipeline.bucket, Key: key }),
      );
      const fileId = `s3://${local.pipeline.bucket}/${key}#${(head.ETag ?? '').replaceAll('"', '')}`;
      const executionArn = await executionOfFile(local.cloud.clients, local.pipeline.ledgerTable, fileId);
      const result = await waitForRun(local.cloud.clients, executionArn);

      expect(result).toMatchObject({
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
        cause: expect.stringMatching(
          /^The input of the child execution for batch 1 has a size of \d+ bytes, over the limit of 262144 bytes\.$/,
        ),
      });
      expect(await failureNotified(key)).toMatchObject({
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
      });
      expect(await ledgerOf(fileId)).toMatchObject({
        status: 'FAILED',
        error: expect.stringContaining('States.DataLimitExceeded'),
      });
      executions[name] = { executionArn, key, fileId };
      await stillAnswers();
    },
    120_000,
  );

  it('after a restart, redriving those executions fails them the same way, the cloud still up', async () => {
    // The same port, as `chute up` would take again: the failure handler is loaded once per
    // process with its SDK clients, which keep the endpoint they were made with.
    const port = Number(new URL(local.cloud.url).port);
    await local.stop();
    local = await startTestPipeline(db.url, dataDir, port);

    for (const { executionArn, key, fileId } of Object.values(executions)) {
      await aws('stepfunctions', 'redrive-execution', '--execution-arn', executionArn);
      const result = await waitForRun(local.cloud.clients, executionArn);
      const described = JSON.parse(
        await aws('stepfunctions', 'describe-execution', '--execution-arn', executionArn),
      ) as Record<string, unknown>;

      expect(result).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
      expect(described).toMatchObject({ redriveCount: 1, redriveStatus: 'REDRIVABLE' });
      expect(await failureNotified(key)).toMatchObject({
        status: 'FAILED',
        error: 'States.DataLimitExceeded',
      });
      expect(await ledgerOf(fileId)).toMatchObject({ status: 'FAILED' });
    }
    expect(Object.keys(executions)).toHaveLength(2);
    await stillAnswers();
  }, 120_000);
});
