import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ledgerItemOf } from '../../workflow/ledger-item.ts';
import type { AwsClients } from './aws-clients.ts';
import type { EventBus } from './eventbridge.ts';
import { executionStatusChangeEvent } from './execution-events.ts';

const ENDED_BADLY = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * Sends the status-change event of every pipeline execution that ended badly while its file's
 * ledger item still says RUNNING: the executions the Step Functions API failed at start because
 * the process died under them (their event went nowhere: no rule existed yet), and any whose
 * failure rule never got through. The failure rule then notifies and marks the ledger FAILED,
 * as for any other failed execution. Returns the executions announced.
 */
export async function announceInterruptedExecutions(options: {
  clients: AwsClients;
  bus: EventBus;
  ledgerTable: string;
  stateMachineArn: string;
  account: { region: string; accountId: string };
}): Promise<string[]> {
  const { dynamodb, sfn } = options.clients;
  const announced: string[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: options.ledgerTable,
        FilterExpression: '#s = :running AND attribute_exists(executionArn)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: marshall({ ':running': 'RUNNING' }),
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      // The filter asked for attribute_exists(executionArn).
      const executionArn = ledgerItemOf(item).executionArn!;
      // The files of one batch share their execution: it is announced once.
      if (announced.includes(executionArn)) continue;
      const execution = await sfn
        .send(new DescribeExecutionCommand({ executionArn }))
        .catch((error: unknown) => {
          if (error instanceof ExecutionDoesNotExist) return undefined;
          throw error;
        });
      if (!execution || execution.stateMachineArn !== options.stateMachineArn) continue;
      if (!ENDED_BADLY.has(execution.status!)) continue;
      await options.bus.putEvent(
        executionStatusChangeEvent(
          {
            executionArn,
            stateMachineArn: execution.stateMachineArn,
            name: execution.name!,
            status: execution.status!,
            startDate: execution.startDate!.getTime() / 1000,
            stopDate: execution.stopDate ? execution.stopDate.getTime() / 1000 : undefined,
            input: execution.input,
            error: execution.error,
            cause: execution.cause,
          },
          options.account,
        ),
      );
      announced.push(executionArn);
    }
    ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey);
  return announced;
}
