import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { datasets } from '../../workflow/datasets/index.ts';
import { ErrorNames } from '../../workflow/error-names.ts';
import { readEnvironment, requireSetting } from '../shared/config.ts';
import { getPool } from '../shared/db.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { ExecutionStatusChangeSchema, notifyInputOfFailure } from './execution-failed.ts';
import { snsPublisher } from './sns-publisher.ts';
import { notifyFailure } from './notify.ts';

const dynamodb = new DynamoDBClient({});

/**
 * Target of the rule on the pipeline's failed executions: one failure summary per file, and the
 * ledger marked FAILED. (The state machine cannot do this itself without catching the Map's
 * failure, which would stop a redrive from rerunning the failed batches.)
 */
export const handler = stageHandler('failure-handler', ExecutionStatusChangeSchema, async (event) => {
  const input = notifyInputOfFailure(event);
  // An unknown dataset is recorded and notified by the state machine itself before it fails.
  if (!input || input.error?.Error === ErrorNames.UnknownDataset) return { notified: false };
  // Both, whatever happens to the other: the ledger must say FAILED even when SNS is down, and the
  // notification must go out even when DynamoDB is.
  const ledger = dynamodb.send(
    new UpdateItemCommand({
      TableName: requireSetting(readEnvironment().LEDGER_TABLE, 'LEDGER_TABLE'),
      Key: marshall({ pk: input.file.id }),
      UpdateExpression: 'SET #s = :s, #e = :e, finishedAt = :f',
      ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
      ExpressionAttributeValues: marshall({
        ':s': 'FAILED',
        ':e': `${input.error?.Error ?? ''}: ${input.error?.Cause ?? ''}`,
        ':f': new Date().toISOString(),
      }),
    }),
  );
  const [recorded, notified] = await Promise.allSettled([
    ledger,
    notifyFailure(input, {
      dataset: datasets[input.dataset],
      pool: getPool,
      publisher: snsPublisher(),
      now: () => new Date(),
    }),
  ]);
  if (recorded.status === 'rejected') throw recorded.reason;
  if (notified.status === 'rejected') throw notified.reason;
  return { notified: true, ...notified.value };
});
