import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { roleArn, startSfn, type RunningSfn } from '../support/sfn-server.ts';

// AWS keeps no execution history for EXPRESS workflows (they log to CloudWatch Logs instead):
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
// ("This API action is not supported by EXPRESS state machines") and
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html.
// The errors below are what AWS answered when LocalStack recorded them against it
// (localstack tests/aws/services/stepfunctions/v2/test_sfn_api_express.snapshot.json,
// test_start_async_describe_history_execution, marked aws.validated).
const notInThisContext = {
  name: 'InvalidArn',
  message: "Invalid Arn: 'Resource type not valid in this context: express'",
};

let sfn: RunningSfn;
let stateMachineArn: string;
beforeAll(async () => {
  sfn = await startSfn();
  ({ stateMachineArn } = (await sfn.client.send(
    new CreateStateMachineCommand({
      name: 'fast',
      type: 'EXPRESS',
      roleArn,
      definition: JSON.stringify({
        StartAt: 'P',
        States: { P: { Type: 'Pass', Result: { fast: true }, End: true } },
      }),
    }),
  )) as { stateMachineArn: string });
});
afterAll(() => sfn.close());

describe('EXPRESS executions', () => {
  it('have no history: GetExecutionHistory, DescribeExecution and StopExecution answer InvalidArn', async () => {
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn, input: '{}' }),
    );

    await expect(sfn.client.send(new GetExecutionHistoryCommand({ executionArn }))).rejects.toMatchObject(
      notInThisContext,
    );
    await expect(sfn.client.send(new DescribeExecutionCommand({ executionArn }))).rejects.toMatchObject(
      notInThisContext,
    );
    await expect(sfn.client.send(new StopExecutionCommand({ executionArn }))).rejects.toMatchObject(
      notInThisContext,
    );
  });

  it('cannot be listed by their state machine: StateMachineTypeNotSupported', async () => {
    await expect(sfn.client.send(new ListExecutionsCommand({ stateMachineArn }))).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
      message: 'This operation is not supported by this type of state machine',
    });
  });

  it('leave no history on disk, and StartSyncExecution still answers with the output', async () => {
    const result = await sfn.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{}' }));
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: '{"fast":true}' });
    await sfn.stop();

    // Every execution of this server was EXPRESS.
    expect(await readdir(join(sfn.dataDir, 'histories'))).toEqual([]);
    sfn = await startSfn({ dataDir: sfn.dataDir });
  });
});
