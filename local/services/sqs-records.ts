import { createHash, randomUUID } from 'node:crypto';
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';

/**
 * One SQS message as EventBridge Pipes hands it to a Lambda or Step Functions target: a batch is
 * a JSON array of these (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-sqs.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-batching-concurrency.html).
 */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, SqsRecordAttribute>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

interface SqsRecordAttribute {
  dataType: string;
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

// The record's attribute shape is camelCase with binary values in base64, unlike the SQS API's.
function recordAttribute(value: MessageAttributeValue): SqsRecordAttribute {
  return {
    dataType: value.DataType ?? 'String',
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: base64(value.BinaryValue) } : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map(base64),
  };
}

/** The record of a message ReceiveMessage returned (asked with every attribute). */
export function sqsRecordOf(message: Message, queue: { arn: string; region: string }): SqsRecord {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: message.Attributes ?? {},
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, recordAttribute(value)]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: queue.region,
  };
}

/**
 * The record a body would have had, had it gone through the queue: what `chute run` gives the
 * state machine when it starts a batch itself rather than waiting out the pipe's window.
 */
export function sqsRecordOfBody(
  body: string,
  queue: { arn: string; region: string; accountId: string },
  now = Date.now(),
): SqsRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(now),
      SenderId: queue.accountId,
      ApproximateFirstReceiveTimestamp: String(now),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: queue.region,
  };
}
