import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, DescribeMapRunCommand, ListMapRunsCommand } from '@aws-sdk/client-sfn';
import type { AwsClients } from '../services/aws-clients.ts';

export interface FileRun {
  executionArn: string;
  status: string;
  error?: string;
  cause?: string;
  failedBatches: number;
  itemsDone: number;
  itemsTotal: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Finds the execution that claimed `fileId` in the ledger (EventBridge starts it asynchronously). */
export async function executionOfFile(
  clients: AwsClients,
  table: string,
  fileId: string,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Item } = await clients.dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: fileId } } }),
    );
    const arn = Item?.executionArn?.S;
    if (arn) return arn;
    if (Date.now() > deadline)
      throw new Error(
        `No execution claimed ${fileId} within ${timeoutMs / 1000} s: did the upload match the rule?`,
      );
    await sleep(50);
  }
}

/** Progress of an execution's Map Run, if it has one. */
async function mapProgress(clients: AwsClients, executionArn: string) {
  const { mapRuns } = await clients.sfn.send(new ListMapRunsCommand({ executionArn }));
  const arn = mapRuns?.[0]?.mapRunArn;
  if (!arn) return { failedBatches: 0, itemsDone: 0, itemsTotal: 0 };
  const run = await clients.sfn.send(new DescribeMapRunCommand({ mapRunArn: arn }));
  const items = run.itemCounts;
  return {
    failedBatches: (run.executionCounts?.failed ?? 0) + (run.executionCounts?.timedOut ?? 0),
    itemsDone:
      (items?.succeeded ?? 0) + (items?.failed ?? 0) + (items?.timedOut ?? 0) + (items?.aborted ?? 0),
    itemsTotal: items?.total ?? 0,
  };
}

/** Polls an execution until it ends, reporting Map Run progress on the way. */
export async function waitForRun(
  clients: AwsClients,
  executionArn: string,
  onProgress?: (run: FileRun) => void,
): Promise<FileRun> {
  for (;;) {
    const execution = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const run: FileRun = {
      executionArn,
      status: execution.status ?? 'UNKNOWN',
      ...(execution.error ? { error: execution.error } : {}),
      ...(execution.cause ? { cause: execution.cause } : {}),
      ...(await mapProgress(clients, executionArn)),
    };
    onProgress?.(run);
    if (run.status !== 'RUNNING') return run;
    await sleep(200);
  }
}
