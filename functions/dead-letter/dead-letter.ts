import { z } from 'zod';
import { Prefixes } from '../../workflow/resource-names.ts';
import { BatchInputSchema, SourceFileSchema } from '../shared/schemas.ts';

/**
 * A batch that failed every retry, as the item processor's Catch hands it over: the stage, the
 * error, and the batch as that stage received it (`{ BatchInput, Items }` for validate,
 * `{ BatchInput, rows, rejected }` after it).
 */
export const SendDeadLetterSchema = z.object({
  action: z.literal('send'),
  stage: z.string(),
  error: z.string().nullish(),
  cause: z.string().nullish(),
  /** The Map Run child that failed. */
  execution: z.string(),
  // Anything: a batch whose envelope is itself malformed must still reach the queue.
  batch: z.unknown(),
});

/** A redriven execution succeeded: its batches are loaded, its dead letters are stale. */
export const ClearDeadLettersSchema = z.object({
  action: z.literal('clear'),
  executionArn: z.string().min(1),
});

export const DeadLetterInputSchema = z.discriminatedUnion('action', [
  SendDeadLetterSchema,
  ClearDeadLettersSchema,
]);
export type DeadLetterInput = z.infer<typeof DeadLetterInputSchema>;

/** What a dead letter says, once decoded (from the queue or from S3). */
export const DeadLetterSchema = z.looseObject({
  stage: z.string().optional(),
  error: z.string().nullish(),
  cause: z.string().nullish(),
  file: SourceFileSchema.partial().optional(),
  /** The Map Run child that failed. */
  execution: z.string().optional(),
  /** The pipeline execution the batch belongs to: what a redrive reruns. */
  parentExecution: z.string().optional(),
  /** Rows the batch holds that are neither loaded nor rejected: they count as dead-lettered. */
  rows: z.number().int().nonnegative().optional(),
  batch: z.unknown(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/**
 * The message attribute naming the parent execution, so its dead letters can be found without
 * reading (or fetching from S3) every body.
 */
export const EXECUTION_ATTRIBUTE = 'executionArn';

/**
 * The SQS Extended Client's pointer to a body kept in S3 and the attribute it sets, so a Java or
 * Python extended client reading this queue fetches the payload itself
 * (https://github.com/awslabs/payload-offloading-java-common-lib-for-aws: `PayloadS3Pointer`).
 */
export const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';
export const PAYLOAD_SIZE_ATTRIBUTE = 'ExtendedPayloadSize';

export interface PayloadPointer {
  s3BucketName: string;
  s3Key: string;
}

const PointerSchema = z.tuple([
  z.literal(POINTER_CLASS),
  z.object({ s3BucketName: z.string(), s3Key: z.string() }),
]);

/** The S3 location a message body points to, or undefined when the body is the letter itself. */
export function pointerOf(body: string): PayloadPointer | undefined {
  if (!body.startsWith(`["${POINTER_CLASS}"`)) return undefined;
  try {
    return PointerSchema.parse(JSON.parse(body))[1];
  } catch {
    return undefined;
  }
}

// SQS accepts only #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF
// and answers InvalidMessageContents otherwise (SendMessage, MessageBody:
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
// JSON.stringify escapes C0 controls and lone surrogates but not U+FFFE/U+FFFF, and a batch
// may hold anything (a binary file read as CSV). Tested by code point (the u flag).
const OUTSIDE_SQS_CHARACTERS = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * JSON text of `value` that SQS accepts whatever its strings hold: every character outside SQS's
 * set is written as a `\uXXXX` escape, which JSON.parse turns back into the same string (these
 * characters only ever occur inside JSON strings).
 */
export function sqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    OUTSIDE_SQS_CHARACTERS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Rows a failed batch holds: its items before validate, its rows and rejects after. */
export function rowsOf(batch: unknown): number {
  if (typeof batch !== 'object' || batch === null) return 0;
  const { Items, rows, rejected } = batch as { Items?: unknown; rows?: unknown; rejected?: unknown };
  const length = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  return Array.isArray(Items) ? Items.length : length(rows) + length(rejected);
}

type Attribute = { DataType: 'String' | 'Number'; StringValue: string };

/** The dead-letter queue as the function needs it (SQS in the handler). */
export interface DeadLetterQueuePort {
  /** The queue's MaximumMessageSize: body plus attributes, in bytes. */
  maxMessageBytes(): Promise<number>;
  send(body: string, attributes: Record<string, Attribute>): Promise<string | undefined>;
  /**
   * Visits every message once (the whole queue, not one receive's worth); `true` deletes it,
   * the others are made visible again.
   */
  sweep(visit: (message: QueueMessage) => Promise<boolean>): Promise<void>;
}

export interface QueueMessage {
  body: string;
  attributes: Record<string, string | undefined>;
}

/** Where bodies too big for the queue go (S3 in the handler). */
export interface PayloadStore {
  put(key: string, body: string): Promise<PayloadPointer>;
  remove(pointer: PayloadPointer): Promise<void>;
}

// SQS counts each attribute's name, data type and value in the message size.
const attributeBytes = (attributes: Record<string, Attribute>) =>
  Object.entries(attributes).reduce(
    (sum, [name, a]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue),
    0,
  );

/**
 * Sends one failed batch to the dead-letter queue, whatever it holds: as SQS-safe JSON, or, when
 * that is over the queue's size limit, to S3 with an extended-client pointer in the queue.
 */
export async function sendDeadLetter(
  input: z.infer<typeof SendDeadLetterSchema>,
  deps: { queue: DeadLetterQueuePort; store: PayloadStore; newId: () => string },
): Promise<{ messageId: string | undefined; offloaded: boolean; rows: number }> {
  const envelope = z.object({ BatchInput: BatchInputSchema }).safeParse(input.batch).data?.BatchInput;
  const parentExecution = envelope?.executionArn;
  const letter: DeadLetter = {
    stage: input.stage,
    error: input.error ?? null,
    cause: input.cause ?? null,
    ...(envelope ? { file: envelope.file, parentExecution } : {}),
    execution: input.execution,
    rows: rowsOf(input.batch),
    batch: input.batch,
  };
  const body = sqsSafeJson(letter);
  const attributes: Record<string, Attribute> = parentExecution
    ? { [EXECUTION_ATTRIBUTE]: { DataType: 'String', StringValue: parentExecution } }
    : {};
  const limit = await deps.queue.maxMessageBytes();
  if (Buffer.byteLength(body) + attributeBytes(attributes) <= limit) {
    return { messageId: await deps.queue.send(body, attributes), offloaded: false, rows: letter.rows! };
  }
  const executionName = (parentExecution ?? input.execution).split(':').at(-1);
  const pointer = await deps.store.put(`${Prefixes.deadLetters}${executionName}/${deps.newId()}.json`, body);
  const messageId = await deps.queue.send(JSON.stringify([POINTER_CLASS, pointer]), {
    ...attributes,
    [PAYLOAD_SIZE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(Buffer.byteLength(body)) },
  });
  return { messageId, offloaded: true, rows: letter.rows! };
}

/**
 * Removes the dead letters of one execution (and the S3 payloads they point to): called when a
 * redrive of it succeeded, so every batch they hold has since been loaded.
 */
export async function clearDeadLetters(
  executionArn: string,
  deps: { queue: DeadLetterQueuePort; store: PayloadStore },
): Promise<{ removed: number }> {
  let removed = 0;
  await deps.queue.sweep(async (message) => {
    if (message.attributes[EXECUTION_ATTRIBUTE] !== executionArn) return false;
    const pointer = pointerOf(message.body);
    if (pointer) await deps.store.remove(pointer);
    removed++;
    return true;
  });
  return { removed };
}
