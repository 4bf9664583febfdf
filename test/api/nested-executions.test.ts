import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { TaskRequest, TaskRunner } from '../../local/engine/ports.ts';
import { createTaskRunner } from '../../local/services/task-runner.ts';
import { roleArn, startSfn, waitForExecution, type RunningSfn } from '../support/sfn-server.ts';

// https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html; output shapes as
// recorded against AWS in LocalStack's test_callback.snapshot.json and test_sfn_task_service.snapshot.json.
const BLOCK = 'arn:aws:lambda:us-east-1:000000000000:function:block';
/** `block` runs until its execution is stopped. */
const tasks: TaskRunner = {
  run: (request: TaskRequest) =>
    new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason))),
};

let sfn: RunningSfn;
const arns: Record<string, string> = {};
const define = async (name: string, definition: object) => {
  const { stateMachineArn } = await sfn.client.send(
    new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn }),
  );
  arns[name] = stateMachineArn!;
};
const parentOf = (resource: string, child: string) => ({
  StartAt: 'Start',
  States: {
    Start: {
      Type: 'Task',
      Resource: resource,
      Parameters: {
        StateMachineArn: arns[child],
        Input: { n: 1, 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' },
      },
      End: true,
    },
  },
});
const run = async (machine: string, name?: string) => {
  const { executionArn } = await sfn.client.send(
    new StartExecutionCommand({ stateMachineArn: arns[machine], ...(name ? { name } : {}) }),
  );
  return waitForExecution(sfn.client, executionArn!);
};

beforeAll(async () => {
  sfn = await startSfn({ taskRunner: tasks });
  await define('blocking', { StartAt: 'T', States: { T: { Type: 'Task', Resource: BLOCK, End: true } } });
  await define('syncBlocking', parentOf('arn:aws:states:::states:startExecution.sync', 'blocking'));
  await define('child', { StartAt: 'P', States: { P: { Type: 'Pass', Result: { done: true }, End: true } } });
  await define('failing', {
    StartAt: 'F',
    States: { F: { Type: 'Fail', Error: 'SomeFailure', Cause: 'it fails' } },
  });
  await define('fire', parentOf('arn:aws:states:::states:startExecution', 'child'));
  await define('sync', parentOf('arn:aws:states:::states:startExecution.sync', 'child'));
  await define('sync2', parentOf('arn:aws:states:::states:startExecution.sync:2', 'child'));
  await define('syncFailing', parentOf('arn:aws:states:::states:startExecution.sync', 'failing'));
  await define('named', {
    StartAt: 'Start',
    States: {
      Start: {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution',
        Parameters: { StateMachineArn: arns.child, Name: 'same' },
        End: true,
      },
    },
  });
});
afterAll(async () => {
  await sfn.close();
});

describe('states:startExecution', () => {
  it('request response: returns ExecutionArn and StartDate; the child gets the parent as its starter', async () => {
    const parent = await run('fire');
    expect(parent.status).toBe('SUCCEEDED');
    const output = JSON.parse(parent.output!);
    expect(output.ExecutionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:execution:child:/);
    expect(typeof output.StartDate).toBe('number');
    const child = await waitForExecution(sfn.client, output.ExecutionArn);
    expect(JSON.parse(child.input!)).toEqual({
      n: 1,
      AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: parent.executionArn,
    });
  });

  it('.sync: waits and returns DescribeExecution with Output as JSON text', async () => {
    const parent = await run('sync');
    expect(parent.status).toBe('SUCCEEDED');
    const output = JSON.parse(parent.output!);
    expect(output).toMatchObject({
      Status: 'SUCCEEDED',
      Output: '{"done":true}',
      OutputDetails: { Included: true },
      InputDetails: { Included: true },
      StateMachineArn: arns.child,
    });
    expect(typeof output.Input).toBe('string');
    expect(output.StopDate).toBeGreaterThanOrEqual(output.StartDate);
    // The start is submitted before the task waits for the child.
    const { events } = await sfn.client.send(
      new GetExecutionHistoryCommand({ executionArn: parent.executionArn }),
    );
    expect(events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const submitted = events!.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!;
    expect(submitted).toMatchObject({ resourceType: 'states', resource: 'startExecution.sync' });
    expect(JSON.parse(submitted.output!).ExecutionArn).toBe(JSON.parse(parent.output!).ExecutionArn);
  });

  it('.sync:2: Input and Output as JSON', async () => {
    const parent = await run('sync2');
    const output = JSON.parse(parent.output!);
    expect(output.Output).toEqual({ done: true });
    expect(output.Input).toEqual({ n: 1, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: parent.executionArn });
  });

  it('a failed child fails the task with States.TaskFailed and its description as cause', async () => {
    const parent = await run('syncFailing');
    expect(parent.status).toBe('FAILED');
    expect(parent.error).toBe('States.TaskFailed');
    expect(JSON.parse(parent.cause!)).toMatchObject({
      Status: 'FAILED',
      Error: 'SomeFailure',
      Cause: 'it fails',
      StateMachineArn: arns.failing,
    });
  });

  it('a refused StartExecution fails the task with StepFunctions.<Code>Exception', async () => {
    const first = await run('named', 'first');
    // Once the child `same` has ended, starting it again under its name is refused.
    await waitForExecution(sfn.client, JSON.parse(first.output!).ExecutionArn);
    const again = await run('named', 'second');
    expect(again.status).toBe('FAILED');
    expect(again.error).toBe('StepFunctions.ExecutionAlreadyExistsException');
    expect(again.cause).toMatch(/Error Code: ExecutionAlreadyExists/);
    const described = await sfn.client.send(
      new DescribeExecutionCommand({ executionArn: again.executionArn }),
    );
    expect(described.status).toBe('FAILED');
  });

  it('.sync: stopping the parent stops the child it waits for', async () => {
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: arns.syncBlocking }),
    );
    let childArn: string | undefined;
    while (!childArn) {
      const { events } = await sfn.client.send(new GetExecutionHistoryCommand({ executionArn }));
      const submitted = events!.find((e) => e.type === 'TaskSubmitted');
      if (submitted) childArn = JSON.parse(submitted.taskSubmittedEventDetails!.output!).ExecutionArn;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await sfn.client.send(new StopExecutionCommand({ executionArn }));
    expect((await waitForExecution(sfn.client, childArn)).status).toBe('ABORTED');
  });
});

describe("states:startExecution under Step Functions Local's mock config", () => {
  it('answers a mocked nested start from the mock, and starts the child without a test case', async () => {
    const mocked = await startSfn({
      taskRunner: createTaskRunner({
        mockConfig: {
          StateMachines: { parent: { TestCases: { Mocked: { Start: 'StartMock' } } } },
          MockedResponses: { StartMock: { '0': { Return: { ExecutionArn: 'mocked' } } } },
        },
      }),
    });
    try {
      const create = async (name: string, definition: object) =>
        (
          await mocked.client.send(
            new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn }),
          )
        ).stateMachineArn!;
      const child = await create('child', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
      const parent = await create('parent', {
        StartAt: 'Start',
        States: {
          Start: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync',
            Parameters: { StateMachineArn: child },
            End: true,
          },
        },
      });
      const runParent = async (stateMachineArn: string) => {
        const { executionArn } = await mocked.client.send(new StartExecutionCommand({ stateMachineArn }));
        return waitForExecution(mocked.client, executionArn!);
      };
      expect((await runParent(`${parent}#Mocked`)).output).toBe('{"ExecutionArn":"mocked"}');
      expect(JSON.parse((await runParent(parent)).output!).Status).toBe('SUCCEEDED');
    } finally {
      await mocked.close();
    }
  });
});
