import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { datasets } from '../../workflow/datasets/index.ts';
import { ErrorNames } from '../../workflow/error-names.ts';
import { readEnvironment, requireSetting } from '../shared/config.ts';
import { getPool } from '../shared/db.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import {
  ExecutionStatusChangeSchema,
  filesOfFailedBatch,
  notifyInputOfFailure,
  type BatchFileFailure,
} from './execution-failed.ts';
import { snsPublisher } from './sns-publisher.ts';
import { notifyFailure, type FileSummary, type NotifyInput } from './notify.ts';

const dynamodb = new DynamoDBClient({});

/**
 * Marks the file FAILED with the execution's error. With a claim, only while the file is still
 * RUNNING under that claim; false when it is not (finished, failed and notified by its child, or
 * another batch's).
 */
async function markFailed(input: NotifyInput, claim?: string): Promise<boolean> {
  try {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: requireSetting(readEnvironment().LEDGER_TABLE, 'LEDGER_TABLE'),
        Key: marshall({ pk: input.file.id }),
        UpdateExpression: 'SET #s = :s, #e = :e, finishedAt = :f',
        ExpressionAttributeNames: { '#s': 'status', '#e': 'error', ...(claim ? { '#c': 'claim' } : {}) },
        ExpressionAttributeValues: marshall({
          ':s': 'FAILED',
          ':e': `${input.error?.Error ?? ''}: ${input.error?.Cause ?? ''}`,
          ':f': new Date().toISOString(),
          ...(claim ? { ':running': 'RUNNING', ':claim': claim } : {}),
        }),
        ...(claim ? { ConditionExpression: '#s = :running AND #c = :claim' } : {}),
      }),
    );
    return true;
  } catch (error) {
    if (claim && error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

const notify = (input: NotifyInput): Promise<FileSummary> =>
  notifyFailure(input, {
    dataset: datasets[input.dataset],
    pool: getPool,
    publisher: snsPublisher(),
    now: () => new Date(),
  });

/**
 * A failed batch execution: the files its children left RUNNING (a child aborted, timed out or
 * failed outside a file's own Catch) are marked FAILED and notified, one by one. A file its child
 * already recorded as FAILED was notified by the child; SUCCEEDED and REJECTED files are done;
 * a file claimed by another batch (a duplicate event) is that batch's to report.
 */
async function failBatchFiles(files: BatchFileFailure[]): Promise<{ notified: number; files: number }> {
  const outcomes = await Promise.allSettled(
    files.map(async ({ input, claim }) => (await markFailed(input, claim)) && (await notify(input), true)),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return {
    notified: outcomes.filter((o) => o.status === 'fulfilled' && o.value).length,
    files: files.length,
  };
}

/**
 * Target of the rule on the pipeline's failed executions: one failure summary per file, and the
 * ledger marked FAILED. (The state machine cannot do this itself without catching the Map's
 * failure, which would stop a redrive from rerunning the failed batches.)
 */
export const handler = stageHandler('failure-handler', ExecutionStatusChangeSchema, async (event) => {
  const batch = filesOfFailedBatch(event);
  if (batch) return failBatchFiles(batch);
  const input = notifyInputOfFailure(event);
  // An unknown dataset is recorded and notified by the state machine itself before it fails.
  if (!input || input.error?.Error === ErrorNames.UnknownDataset) return { notified: false };
  // Both, whatever happens to the other: the ledger must say FAILED even when SNS is down, and the
  // notification must go out even when DynamoDB is.
  const [recorded, notified] = await Promise.allSettled([markFailed(input), notify(input)]);
  if (recorded.status === 'rejected') throw recorded.reason;
  if (notified.status === 'rejected') throw notified.reason;
  return { notified: true, ...notified.value };
});
