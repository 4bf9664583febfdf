import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';
import type { SqsRecord } from '../../../local/services/sqs-records.ts';

// The local EventBridge Pipe from SQS to Step Functions, through the real SQS and SFN clients:
// batches as Pipes delivers them (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-sqs.html).

let dataDir: string;
let cloud: LocalCloud;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'chute-pipes-'));
  cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
}, 60_000);
afterAll(async () => {
  await cloud.close();
  await rm(dataDir, { recursive: true, force: true });
});

const pass = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
const roleArn = 'arn:aws:iam::000000000000:role/test';
const until = async <T>(what: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

async function queue(name: string, visibilityTimeout: number) {
  const { QueueUrl } = await cloud.clients.sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: String(visibilityTimeout) } }),
  );
  const { Attributes } = await cloud.clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function send(queueUrl: string, bodies: string[]) {
  for (let i = 0; i < bodies.length; i += 10) {
    await cloud.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(i, i + 10).map((body, n) => ({ Id: String(n), MessageBody: body })),
      }),
    );
  }
}

async function depth(queueUrl: string) {
  const { Attributes } = await cloud.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes!.ApproximateNumberOfMessages) +
    Number(Attributes!.ApproximateNumberOfMessagesNotVisible)
  );
}

function pipeTo(name: string, source: { url: string; arn: string }, stateMachineArn: string) {
  return cloud.pipes.create({
    name,
    source: {
      sqs: cloud.clients.sqs,
      queueUrl: source.url,
      queueArn: source.arn,
      region: cloud.account.region,
      batchSize: 10,
      maximumBatchingWindowInSeconds: 1,
    },
    target: async (records) => {
      await cloud.clients.sfn.send(
        new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(records) }),
      );
    },
  });
}

describe('an EventBridge Pipe from SQS to Step Functions', () => {
  it('delivers 25 messages as 3 executions of at most 10 SQS records each, and deletes them all', async () => {
    // Prepare
    const source = await queue('pipe-source', 30);
    const { stateMachineArn } = await cloud.clients.sfn.send(
      new CreateStateMachineCommand({ name: 'pipe-target', definition: pass, roleArn }),
    );
    await pipeTo('batches', source, stateMachineArn!);
    const bodies = Array.from({ length: 25 }, (_, i) => JSON.stringify({ file: i }));

    // Act
    await send(source.url, bodies);
    const executions = await until(async () => {
      const { executions = [] } = await cloud.clients.sfn.send(
        new ListExecutionsCommand({ stateMachineArn }),
      );
      const records = (
        await Promise.all(
          executions.map(async ({ executionArn }) => {
            const { input } = await cloud.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
            return JSON.parse(input!) as SqsRecord[];
          }),
        )
      ).flat();
      return records.length >= 25 ? executions : undefined;
    });
    await cloud.pipes.delete('batches');

    // Assess
    expect(executions).toHaveLength(3);
    const inputs = await Promise.all(
      executions.map(async ({ executionArn }) => {
        const { input } = await cloud.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
        return JSON.parse(input!) as SqsRecord[];
      }),
    );
    expect(inputs.map((batch) => batch.length).sort((a, b) => a - b)).toEqual([5, 10, 10]);
    const records = inputs.flat();
    expect(records.map((record) => record.body).sort()).toEqual([...bodies].sort());
    expect(records[0]).toEqual({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body: expect.any(String),
      attributes: expect.objectContaining({
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.any(String),
      }),
      messageAttributes: {},
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: source.arn,
      awsRegion: cloud.account.region,
    });
    expect(await until(async () => ((await depth(source.url)) === 0 ? 0 : undefined), 5_000)).toBe(0);
  }, 120_000);

  it('leaves the messages in the queue when the target fails, and they come back', async () => {
    // Prepare: a state machine that no longer exists, so StartExecution fails
    const source = await queue('pipe-failing-source', 2);
    const { stateMachineArn } = await cloud.clients.sfn.send(
      new CreateStateMachineCommand({ name: 'pipe-gone', definition: pass, roleArn }),
    );
    await cloud.clients.sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await pipeTo('failing', source, stateMachineArn!);

    // Act: the pipe receives them, waits out its window, fails to start the execution
    await send(source.url, ['a', 'b', 'c']);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await cloud.pipes.delete('failing');

    // Assess: nothing was deleted; after the visibility timeout they are received again
    expect(await depth(source.url)).toBe(3);
    const again: string[] = [];
    await until(async () => {
      const { Messages = [] } = await cloud.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      // Not deleted here either: a slow loop can see one come back twice.
      for (const message of Messages) if (!again.includes(message.Body!)) again.push(message.Body!);
      return again.length >= 3 ? again : undefined;
    }, 10_000);
    expect(again.sort()).toEqual(['a', 'b', 'c']);
  }, 120_000);
});
