import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SqsRecord } from '../../../local/services/sqs-records.ts';
import { Batching } from '../../../workflow/batching.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

// Uploads through S3 are routed by size: a small file through the buffer queue and the pipe (an
// execution whose input is an array of SQS records), a big one straight to its own execution.

let database: ScratchDatabase;
let local: TestPipeline;
beforeAll(async () => {
  database = await createScratchDatabase();
  local = await startTestPipeline(database.url, undefined, 0, {
    batching: { filesPerExecution: 10, windowSeconds: 1 },
  });
}, 60_000);
afterAll(async () => {
  await local.stop();
  await database.drop();
});

type UploadEvent = { detail: { object: { key: string; size: number } } };

async function executionInputs(count: number): Promise<unknown[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { executions = [] } = await local.cloud.clients.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: local.pipeline.stateMachineArn }),
    );
    if (executions.length >= count)
      return Promise.all(
        executions.map(async ({ executionArn }) => {
          const { input } = await local.cloud.clients.sfn.send(
            new DescribeExecutionCommand({ executionArn }),
          );
          return JSON.parse(input!) as unknown;
        }),
      );
    if (Date.now() > deadline) throw new Error(`fewer than ${count} executions after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('uploads routed by size', () => {
  it('a small file reaches the buffer queue and a batch execution; a big file its own execution', async () => {
    // Prepare
    const small = '[{"order_id": "A-1"}]';
    const big = `order_id,amount\n${'A-1,1.00\n'.repeat(Math.ceil(Batching.smallFileMaxBytes / 9) + 1)}`;
    const { s3 } = local.cloud.clients;

    // Act
    await s3.send(
      new PutObjectCommand({ Bucket: local.pipeline.bucket, Key: 'input/orders/small.json', Body: small }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: local.pipeline.bucket, Key: 'input/orders/big.csv', Body: big }),
    );
    const inputs = await executionInputs(2);

    // Assess
    expect(inputs).toHaveLength(2);
    const batch = inputs.find(Array.isArray) as SqsRecord[];
    const single = inputs.find((input) => !Array.isArray(input)) as UploadEvent;
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: local.pipeline.bufferQueue.arn,
    });
    const event = JSON.parse(batch[0]!.body) as UploadEvent;
    expect(event.detail.object).toMatchObject({ key: 'input/orders/small.json', size: small.length });
    expect(single.detail.object).toMatchObject({ key: 'input/orders/big.csv', size: big.length });
    // The pipe deletes the messages once StartExecution answered.
    const depth = async () => {
      const { Attributes } = await local.cloud.clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: local.pipeline.bufferQueue.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(Attributes!.ApproximateNumberOfMessages) +
        Number(Attributes!.ApproximateNumberOfMessagesNotVisible)
      );
    };
    for (let tries = 0; (await depth()) > 0 && tries < 50; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await depth()).toBe(0);
  }, 120_000);
});
