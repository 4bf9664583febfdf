import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { ConfigurationError } from '../shared/errors.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { transientIfRetryable } from '../shared/aws-errors.ts';
import { s3PayloadStore, sqsDeadLetterQueue } from './aws-ports.ts';
import { DeadLetterInputSchema, clearDeadLetters, sendDeadLetter } from './dead-letter.ts';

// The SDK would otherwise send to the queue URL's host; the client's endpoint is the same host on
// AWS, and the one that answers locally (AWS_ENDPOINT_URL).
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const s3 = new S3Client({});

const SettingsSchema = z.object({
  DEAD_LETTER_QUEUE_URL: z.string().min(1),
  /** The bucket dead letters over the queue's size limit go to (under dead-letters/). */
  PAYLOAD_BUCKET: z.string().min(1),
});

function settings() {
  const parsed = SettingsSchema.safeParse(process.env);
  if (!parsed.success) throw new ConfigurationError(`Invalid environment: ${parsed.error.message}`);
  return parsed.data;
}

/** The item processor's Catch sends here; the success path of a redriven execution clears. */
export const handler = stageHandler('dead-letter', DeadLetterInputSchema, async (input) => {
  const { DEAD_LETTER_QUEUE_URL, PAYLOAD_BUCKET } = settings();
  const deps = {
    queue: sqsDeadLetterQueue(sqs, DEAD_LETTER_QUEUE_URL),
    store: s3PayloadStore(s3, PAYLOAD_BUCKET),
  };
  try {
    return input.action === 'send'
      ? await sendDeadLetter(input, { ...deps, newId: randomUUID })
      : await clearDeadLetters(input.executionArn, deps);
  } catch (error) {
    throw transientIfRetryable(error);
  }
});
