import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { datasets } from '../../workflow/datasets/index.ts';
import { readEnvironment, requireSetting } from '../shared/config.ts';
import { getPool } from '../shared/db.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { ExecutionStatusChangeSchema, notifyInputOfFailure } from './execution-failed.ts';
import { snsPublisher } from './sns-publisher.ts';
import { notifyFile } from './notify.ts';

const dynamodb = new DynamoDBClient({});

/**
 * Target of the rule on the pipeline's failed executions: one failure summary per file, and the
 * ledger marked FAILED. (The state machine cannot do this itself without catching the Map's
 * failure, which would stop a redrive from rerunning the failed batches.)
 */
export const handler = stageHandler(ExecutionStatusChangeSchema, async (event) => {
  const input = notifyInputOfFailure(event);
  if (!input) return { notified: false };
  const summary = await notifyFile(input, {
    dataset: datasets[input.dataset],
    pool: await getPool(),
    publisher: snsPublisher(),
    now: () => new Date(),
  });
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: requireSetting(readEnvironment().LEDGER_TABLE, 'LEDGER_TABLE'),
      Key: { pk: { S: input.file.id } },
      UpdateExpression: 'SET #s = :s, #e = :e, loaded = :l, rejected = :r, finishedAt = :f',
      ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
      ExpressionAttributeValues: {
        ':s': { S: 'FAILED' },
        ':e': { S: `${input.error?.Error ?? ''}: ${input.error?.Cause ?? ''}` },
        ':l': { N: String(summary.loaded) },
        ':r': { N: String(summary.rejected) },
        ':f': { S: new Date().toISOString() },
      },
    }),
  );
  return { notified: true, ...summary };
});
