import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsRecordOf, type SqsRecord } from './sqs-records.ts';

/**
 * An EventBridge Pipe from an SQS queue to a target, with the source's batching
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-sqs.html): it polls the queue
 * and calls the target once per batch, when `batchSize` records are in hand or
 * `maximumBatchingWindowInSeconds` have passed since the batch's first record. A target that
 * succeeds has its messages deleted; one that fails leaves them to come back after the visibility
 * timeout (and, received too often, to go to the queue's dead-letter queue by its redrive policy).
 */
export interface PipeDefinition {
  name: string;
  source: {
    sqs: SQSClient;
    queueUrl: string;
    queueArn: string;
    region: string;
    batchSize: number;
    maximumBatchingWindowInSeconds: number;
  };
  /** Called with the batch as a JSON array of SQS records, as Pipes calls Lambda and Step Functions. */
  target(records: SqsRecord[]): Promise<void>;
  /**
   * Resolves when the target can take another batch; until then the pipe receives nothing and the
   * records wait in the queue. AWS scales its targets out; one machine cannot, so the local cloud
   * bounds how much work it holds in memory at once.
   */
  ready?(signal: AbortSignal): Promise<void>;
}

// SQS's limits for one ReceiveMessage: 10 messages, a 20 s long poll.
const RECEIVE_MAX = 10;
const LONG_POLL_SECONDS = 20;
// A Step Functions target takes at most 262,144 characters of input
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-batching-concurrency.html).
const STEP_FUNCTIONS_PAYLOAD_CHARS = 262_144;

interface RunningPipe {
  stop(): Promise<void>;
}

function runPipe(definition: PipeDefinition): RunningPipe {
  const { source, target } = definition;
  const stopping = new AbortController();
  const windowMs = source.maximumBatchingWindowInSeconds * 1000;
  const report = (what: string, error: unknown) => {
    if (!stopping.signal.aborted)
      console.error(`EventBridge pipe ${definition.name}: ${what}: ${(error as Error).message}`);
  };

  async function deliver(records: SqsRecord[]): Promise<void> {
    try {
      await target(records);
    } catch (error) {
      report('target failed, the messages return to the queue after its visibility timeout', error);
      return;
    }
    for (let i = 0; i < records.length; i += RECEIVE_MAX) {
      const chunk = records.slice(i, i + RECEIVE_MAX);
      await source.sqs
        .send(
          new DeleteMessageBatchCommand({
            QueueUrl: source.queueUrl,
            Entries: chunk.map((record, n) => ({ Id: String(n), ReceiptHandle: record.receiptHandle })),
          }),
        )
        .catch((error: unknown) => report('DeleteMessageBatch', error));
    }
  }

  async function poll(): Promise<void> {
    let batch: SqsRecord[] = [];
    let chars = 2;
    let firstAt = 0;
    const flush = async () => {
      const records = batch;
      batch = [];
      chars = 2;
      await deliver(records);
    };
    while (!stopping.signal.aborted) {
      if (batch.length === 0 && definition.ready) {
        await definition.ready(stopping.signal).catch(() => {});
        if (stopping.signal.aborted) break;
      }
      const remainingMs = firstAt + windowMs - Date.now();
      if (batch.length > 0 && (batch.length >= source.batchSize || remainingMs <= 0)) {
        await flush();
        continue;
      }
      // Long-poll to the end of the window (whole seconds, as SQS takes them), or 20 s when idle.
      const waitSeconds =
        batch.length > 0 ? Math.min(LONG_POLL_SECONDS, Math.ceil(remainingMs / 1000)) : LONG_POLL_SECONDS;
      let received;
      try {
        received = await source.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: source.queueUrl,
            MaxNumberOfMessages: Math.min(RECEIVE_MAX, source.batchSize - batch.length),
            WaitTimeSeconds: waitSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: stopping.signal },
        );
      } catch (error) {
        report('ReceiveMessage', error);
        await sleep(1000, undefined, { signal: stopping.signal }).catch(() => {});
        continue;
      }
      for (const message of received.Messages ?? []) {
        const record = sqsRecordOf(message, { arn: source.queueArn, region: source.region });
        const size = JSON.stringify(record).length + 1;
        // Over the target's payload limit: what is in hand goes first, this record starts the next.
        if (batch.length > 0 && chars + size > STEP_FUNCTIONS_PAYLOAD_CHARS) await flush();
        if (batch.length === 0) firstAt = Date.now();
        batch.push(record);
        chars += size;
      }
    }
    // Records held when the pipe stops are not deleted: they come back after the visibility timeout.
  }

  const polling = poll();
  return {
    async stop() {
      stopping.abort();
      await polling;
    },
  };
}

/** The local cloud's pipes, by name; closing the cloud stops them before the queues go. */
export class Pipes {
  readonly #running = new Map<string, RunningPipe>();

  /** Starts a pipe, replacing (stopping) one of the same name. */
  async create(definition: PipeDefinition): Promise<void> {
    await this.delete(definition.name);
    this.#running.set(definition.name, runPipe(definition));
  }

  async delete(name: string): Promise<void> {
    const pipe = this.#running.get(name);
    this.#running.delete(name);
    await pipe?.stop();
  }

  /** Stops every pipe: in-flight polls are aborted, a target call in progress is awaited. */
  async close(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((name) => this.delete(name)));
  }
}
