import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SendTaskSuccessCommand, StartExecutionCommand, DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { connectToCloud, deployStateMachine } from 'chute/testing';

// How a user tests a callback step: the state machine sends a task token to SQS and waits
// (`.waitForTaskToken`); the test plays the worker that reads the message and answers with
// SendTaskSuccess, as a person approving a file would.

const clients = connectToCloud();
let queueUrl: string;
let stateMachineArn: string;

beforeAll(async () => {
  ({ QueueUrl: queueUrl } = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'approvals' }))) as {
    QueueUrl: string;
  });
  stateMachineArn = await deployStateMachine(clients.sfn, {
    name: 'ApproveFile',
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'AskForApproval',
      States: {
        AskForApproval: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Arguments: {
            QueueUrl: queueUrl,
            MessageBody: '{% $string({"file": $states.input.file, "token": $states.context.Task.Token}) %}',
          },
          Output: '{% {"file": $states.input.file, "approvedBy": $states.result.approvedBy} %}',
          End: true,
        },
      },
    },
  });
});
afterAll(() => {
  clients.sqs.destroy();
  clients.sfn.destroy();
});

describe('a callback step (.waitForTaskToken)', () => {
  it('waits for the worker, then carries its answer on', async () => {
    const { executionArn } = await clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ file: 'input/orders/a.csv' }) }),
    );

    // The worker: read the request and answer with the token it carries.
    let request: { file: string; token: string } | undefined;
    for (let i = 0; !request && i < 50; i++) {
      const { Messages } = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }),
      );
      if (Messages?.[0]?.Body) request = JSON.parse(Messages[0].Body) as { file: string; token: string };
    }
    expect(request?.file).toBe('input/orders/a.csv');
    expect(await clients.sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'RUNNING',
    });
    await clients.sfn.send(
      new SendTaskSuccessCommand({
        taskToken: request!.token,
        output: JSON.stringify({ approvedBy: 'ana' }),
      }),
    );

    let described = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    for (let i = 0; described.status === 'RUNNING' && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      described = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    }
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({ file: 'input/orders/a.csv', approvedBy: 'ana' });
  }, 60_000);
});
