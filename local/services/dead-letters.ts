import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import type { Message } from '@aws-sdk/client-sqs';
import { sweepQueue } from '../../functions/dead-letter/aws-ports.ts';
import {
  DeadLetterSchema,
  EXECUTION_ATTRIBUTE,
  pointerOf,
  rowsOf,
  type DeadLetter,
  type PayloadPointer,
} from '../../functions/dead-letter/dead-letter.ts';
import type { AwsClients } from './aws-clients.ts';

/** One message of the dead-letter queue, decoded as far as it goes. */
export interface DeadLetterEntry {
  messageId: string;
  sentAt: Date | undefined;
  /** The letter, fetched from S3 when the queue holds a pointer; undefined when not a letter. */
  letter: DeadLetter | undefined;
  /** The pipeline execution a redrive of which reruns the batch. */
  parentExecution: string | undefined;
  /** Rows of the batch that are neither loaded nor rejected. */
  rows: number;
  pointer: PayloadPointer | undefined;
  /** The body as received, for a message that is not a dead letter. */
  raw: string;
}

async function decode(clients: AwsClients, message: Message): Promise<DeadLetterEntry> {
  const raw = message.Body ?? '';
  const pointer = pointerOf(raw);
  let text = raw;
  if (pointer) {
    const object = await clients.s3.send(
      new GetObjectCommand({ Bucket: pointer.s3BucketName, Key: pointer.s3Key }),
    );
    text = (await object.Body?.transformToString('utf8')) ?? '';
  }
  let letter: DeadLetter | undefined;
  try {
    letter = DeadLetterSchema.parse(JSON.parse(text));
  } catch {
    letter = undefined;
  }
  // Letters written before the parent was recorded still carry it in their batch's envelope.
  const envelope = (letter?.batch as { BatchInput?: { executionArn?: unknown } } | undefined)?.BatchInput;
  const parentExecution =
    message.MessageAttributes?.[EXECUTION_ATTRIBUTE]?.StringValue ??
    letter?.parentExecution ??
    (typeof envelope?.executionArn === 'string' ? envelope.executionArn : undefined);
  const sent = message.Attributes?.SentTimestamp;
  return {
    messageId: message.MessageId ?? '',
    sentAt: sent ? new Date(Number(sent)) : undefined,
    letter,
    parentExecution,
    rows: letter ? (letter.rows ?? rowsOf(letter.batch)) : 0,
    pointer,
    raw,
  };
}

/** Every message of the dead-letter queue, oldest first; they all stay in the queue. */
export async function listDeadLetters(clients: AwsClients, queueUrl: string): Promise<DeadLetterEntry[]> {
  const entries: DeadLetterEntry[] = [];
  await sweepQueue(clients.sqs, queueUrl, async (message) => {
    entries.push(await decode(clients, message));
    return false;
  });
  return entries.sort((a, b) => (a.sentAt?.getTime() ?? 0) - (b.sentAt?.getTime() ?? 0));
}

/** What replay did for one pipeline execution. */
export interface ReplayOutcome {
  executionArn: string;
  letters: number;
  rows: number;
  action: 'redriven' | 'cleared' | 'running' | 'not-redrivable' | 'unknown-execution';
  detail?: string;
}

/**
 * Replays the dead letters by redriving their pipeline executions: the batches are Map Run
 * children, and a redrive reruns exactly the children that failed (EXPRESS: started anew), so the
 * counts, the ledger and the notification follow (and the redrive, once it succeeds, removes
 * its dead letters). Letters of an execution that has since succeeded are stale and deleted;
 * those of a running one are left. Letters with no execution stay in the queue.
 */
export async function replayDeadLetters(clients: AwsClients, queueUrl: string): Promise<ReplayOutcome[]> {
  const byExecution = new Map<string, DeadLetterEntry[]>();
  for (const entry of await listDeadLetters(clients, queueUrl)) {
    if (!entry.parentExecution) continue;
    byExecution.set(entry.parentExecution, [...(byExecution.get(entry.parentExecution) ?? []), entry]);
  }
  const outcomes: ReplayOutcome[] = [];
  const stale = new Set<string>();
  for (const [executionArn, entries] of byExecution) {
    const base = {
      executionArn,
      letters: entries.length,
      rows: entries.reduce((sum, e) => sum + e.rows, 0),
    };
    let status: string | undefined;
    try {
      ({ status } = await clients.sfn.send(new DescribeExecutionCommand({ executionArn })));
    } catch (error) {
      outcomes.push({ ...base, action: 'unknown-execution', detail: (error as Error).message });
      continue;
    }
    if (status === 'SUCCEEDED') {
      for (const entry of entries) stale.add(entry.messageId);
      outcomes.push({ ...base, action: 'cleared' });
    } else if (status === 'RUNNING') {
      outcomes.push({ ...base, action: 'running' });
    } else {
      try {
        await clients.sfn.send(new RedriveExecutionCommand({ executionArn }));
        outcomes.push({ ...base, action: 'redriven' });
      } catch (error) {
        outcomes.push({ ...base, action: 'not-redrivable', detail: (error as Error).message });
      }
    }
  }
  if (stale.size) {
    await sweepQueue(clients.sqs, queueUrl, async (message) => {
      if (!stale.has(message.MessageId ?? '')) return false;
      const pointer = pointerOf(message.Body ?? '');
      if (pointer)
        await clients.s3.send(new DeleteObjectCommand({ Bucket: pointer.s3BucketName, Key: pointer.s3Key }));
      return true;
    });
  }
  return outcomes;
}
