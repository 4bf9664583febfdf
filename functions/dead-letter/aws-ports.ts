import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetterQueuePort, PayloadStore } from './dead-letter.ts';

/** How long a sweep holds one receive's messages while it visits them. */
const HOLD_SECONDS = 30;

/**
 * Visits every message of a queue once, and works the same on SQS and locally: receives (long
 * polling, so an empty answer means empty: a short poll samples SQS's servers and may answer
 * empty while messages exist), visits, and makes the messages it keeps visible again at once, so
 * that two sweeps at the same time (two redrives clearing their dead letters) never hide the
 * queue from each other. Kept messages come round again; the sweep ends at an empty receive, or
 * when a receive brings nothing new and the queue holds no more messages than the sweep has
 * seen and kept (a message another reader held for a moment is still visited), or at a
 * deadline past which any other reader's hold has expired. `visit` returns true to delete it.
 */
export async function sweepQueue(
  sqs: SQSClient,
  queueUrl: string,
  visit: (message: Message) => Promise<boolean>,
): Promise<void> {
  const seen = new Set<string>();
  const kept = new Set<string>();
  const deadline = Date.now() + 2 * HOLD_SECONDS * 1000;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: HOLD_SECONDS,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    if (!Messages.length) return;
    const release: Message[] = [];
    let fresh = 0;
    try {
      for (const message of Messages) {
        const id = message.MessageId!;
        if (seen.has(id)) {
          release.push(message);
          continue;
        }
        seen.add(id);
        fresh++;
        if (await visit(message))
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
          );
        else {
          kept.add(id);
          release.push(message);
        }
      }
    } finally {
      if (release.length)
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: release.map((m, i) => ({
              Id: `m${i}`,
              ReceiptHandle: m.ReceiptHandle,
              VisibilityTimeout: 0,
            })),
          }),
        );
    }
    if (Date.now() > deadline) return;
    if (!fresh && (await messagesIn(sqs, queueUrl)) <= kept.size) return;
  }
}

/** Messages in the queue, visible or in flight (SQS's approximate counts; exact locally). */
async function messagesIn(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** The dead-letter queue through the SQS client. */
export function sqsDeadLetterQueue(sqs: SQSClient, queueUrl: string): DeadLetterQueuePort {
  return {
    async maxMessageBytes() {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['MaximumMessageSize'] }),
      );
      // SQS's own maximum, 1 MiB, when the attribute is missing (SendMessage, MessageBody).
      return Number(Attributes?.MaximumMessageSize ?? 1_048_576);
    },
    async send(body, attributes) {
      const { MessageId } = await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attributes }),
      );
      return MessageId;
    },
    sweep: (visit) =>
      sweepQueue(sqs, queueUrl, (message) =>
        visit({
          body: message.Body ?? '',
          attributes: Object.fromEntries(
            Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
          ),
        }),
      ),
  };
}

/** Dead letters too big for the queue, as objects of one bucket. */
export function s3PayloadStore(s3: S3Client, bucket: string): PayloadStore {
  return {
    async put(key, body) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
      );
      return { s3BucketName: bucket, s3Key: key };
    },
    async remove({ s3BucketName, s3Key }) {
      await s3.send(new DeleteObjectCommand({ Bucket: s3BucketName, Key: s3Key }));
    },
  };
}
