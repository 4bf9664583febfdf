import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { parseMockConfig } from '../../local/services/mock-config.ts';
import { createTaskRunner } from '../../local/services/task-runner.ts';
import { roleArn, startSfn, waitForExecution, type RunningSfn } from '../support/sfn-server.ts';

// The callback pattern: https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token

/** Events the `approver` Lambda got: each carries the task token the Task passed it. */
const received: { token: string; order: string }[] = [];
const taskRunner = createTaskRunner({
  lambdaHandlers: {
    approver: async (event) => {
      received.push(event as { token: string; order: string });
      return 'queued';
    },
  },
});

/** A machine with one `lambda:invoke.waitForTaskToken` Task, given its extra Task fields. */
const callbackMachine = (task: Record<string, unknown> = {}) =>
  JSON.stringify({
    StartAt: 'Approve',
    States: {
      Approve: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: 'approver',
          Payload: { 'token.$': '$$.Task.Token', 'order.$': '$.order' },
        },
        End: true,
        ...task,
      },
    },
  });

async function start(client: SFNClient, definition: string, order: string) {
  const { stateMachineArn } = await client.send(
    new CreateStateMachineCommand({ name: `m-${order}`, definition, roleArn }),
  );
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ order }) }),
  );
  return executionArn!;
}

/** The token the approver got for `order`, once the Task has sent it. */
async function tokenFor(order: string): Promise<string> {
  for (;;) {
    const event = received.find((e) => e.order === order);
    if (event) return event.token;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function historyOf(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await client.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
}

describe('.waitForTaskToken', () => {
  let sfn: RunningSfn;
  beforeAll(async () => {
    sfn = await startSfn({ taskRunner });
  });
  afterAll(() => sfn.close());

  it('passes $$.Task.Token to the integration and takes SendTaskSuccess output as the result', async () => {
    const executionArn = await start(sfn.client, callbackMachine(), 'o1');
    const token = await tokenFor('o1');

    await sfn.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));

    const done = await waitForExecution(sfn.client, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ approved: true });
    const events = await historyOf(sfn.client, executionArn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const submitted = events.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!;
    expect(submitted).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken' });
    expect(JSON.parse(submitted.output!)).toMatchObject({ Payload: 'queued', StatusCode: 200 });
  });

  it('fails the Task with SendTaskFailure’s error and cause, and Catch sees them', async () => {
    const definition = JSON.stringify({
      StartAt: 'Approve',
      States: {
        Approve: {
          ...JSON.parse(callbackMachine()).States.Approve,
          End: undefined,
          Next: 'Done',
          Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.why', Next: 'Denied' }],
        },
        Done: { Type: 'Succeed' },
        Denied: { Type: 'Pass', End: true },
      },
    });
    const executionArn = await start(sfn.client, definition, 'o2');

    await sfn.client.send(
      new SendTaskFailureCommand({
        taskToken: await tokenFor('o2'),
        error: 'Rejected',
        cause: 'over budget',
      }),
    );

    const done = await waitForExecution(sfn.client, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      order: 'o2',
      why: { Error: 'Rejected', Cause: 'over budget' },
    });
    const failed = (await historyOf(sfn.client, executionArn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'Rejected', cause: 'over budget' });
  });

  it('times out with States.HeartbeatTimeout when no heartbeat comes, then refuses the token', async () => {
    const executionArn = await start(sfn.client, callbackMachine({ HeartbeatSeconds: 5 }), 'o3');

    const done = await waitForExecution(sfn.client, executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    const events = await historyOf(sfn.client, executionArn);
    expect(events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails).toMatchObject({
      heartbeatInSeconds: 5,
    });
    expect(events.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails).toMatchObject({
      error: 'States.HeartbeatTimeout',
    });
    await expect(
      sfn.client.send(new SendTaskSuccessCommand({ taskToken: await tokenFor('o3'), output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('times out with States.Timeout after TimeoutSeconds', async () => {
    const executionArn = await start(sfn.client, callbackMachine({ TimeoutSeconds: 5 }), 'o4');

    const done = await waitForExecution(sfn.client, executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const types = (await historyOf(sfn.client, executionArn)).map((e) => e.type);
    expect(types).toContain('TaskTimedOut');
  });

  it('answers InvalidToken for a token it never issued and InvalidOutput for output that is not JSON', async () => {
    await expect(
      sfn.client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
    const executionArn = await start(sfn.client, callbackMachine(), 'o5');
    const token = await tokenFor('o5');
    await expect(
      sfn.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{not json' })),
    ).rejects.toMatchObject({ name: 'InvalidOutput' });
    await sfn.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '"late"' }));
    expect((await waitForExecution(sfn.client, executionArn)).output).toBe('"late"');
  });
});

describe('SendTaskHeartbeat on the wall clock', () => {
  let sfn: RunningSfn;
  beforeAll(async () => {
    sfn = await startSfn({ taskRunner, timeScale: 1 });
  });
  afterAll(() => sfn.close());

  it('keeps a Task alive past HeartbeatSeconds while heartbeats come', async () => {
    const executionArn = await start(sfn.client, callbackMachine({ HeartbeatSeconds: 1 }), 'h1');
    const token = await tokenFor('h1');

    for (let beat = 0; beat < 3; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 600));
      await sfn.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    await sfn.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"alive":true}' }));

    const done = await waitForExecution(sfn.client, executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ alive: true });
  });
});

describe('.waitForTaskToken in a mocked execution', () => {
  let sfn: RunningSfn;
  beforeAll(async () => {
    const mockConfig = parseMockConfig(
      JSON.stringify({
        StateMachines: { 'm-mocked': { TestCases: { Approved: { Approve: 'ApprovedAnswer' } } } },
        MockedResponses: { ApprovedAnswer: { '0': { Return: { approved: 'by mock' } } } },
      }),
    );
    sfn = await startSfn({ taskRunner: createTaskRunner({ mockConfig }) });
  });
  afterAll(() => sfn.close());

  it('takes the mocked response as the result without waiting for a callback, as Step Functions Local does', async () => {
    const { stateMachineArn } = await sfn.client.send(
      new CreateStateMachineCommand({ name: 'm-mocked', definition: callbackMachine(), roleArn }),
    );
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Approved`, input: '{"order":"m1"}' }),
    );

    const done = await waitForExecution(sfn.client, executionArn!);

    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":"by mock"}' });
  });
});
