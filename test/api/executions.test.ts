import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { StatesError } from '../../local/engine/errors.ts';
import type { TaskRequest, TaskRunner } from '../../local/engine/ports.ts';
import { roleArn, startSfn, waitForExecution, type RunningSfn } from '../support/sfn-server.ts';

const BLOCK = 'arn:aws:lambda:us-east-1:000000000000:function:block';
const FLAKY = 'arn:aws:lambda:us-east-1:000000000000:function:flaky';

/** Task resources for these tests: `block` waits until aborted, `flaky` fails until `healed`. */
const tasks: TaskRunner & { healed: boolean; calls: number } = {
  healed: false,
  calls: 0,
  async run(request: TaskRequest): Promise<unknown> {
    if (request.resource === BLOCK) {
      return new Promise((_, reject) =>
        request.signal.addEventListener('abort', () => reject(request.signal.reason)),
      );
    }
    tasks.calls++;
    if (!tasks.healed) throw new StatesError('TransientError', 'database unavailable');
    return { loaded: true };
  },
};

let sfn: RunningSfn;
const machines: Record<string, string> = {};
beforeAll(async () => {
  sfn = await startSfn({ taskRunner: tasks });
  const define = async (name: string, definition: object, type?: 'EXPRESS') => {
    const { stateMachineArn } = await sfn.client.send(
      new CreateStateMachineCommand({
        name,
        definition: JSON.stringify(definition),
        roleArn,
        ...(type ? { type } : {}),
      }),
    );
    machines[name] = stateMachineArn!;
  };
  await define('choice', {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }],
        Default: 'Small',
      },
      Big: { Type: 'Pass', Result: 'big', End: true },
      Small: { Type: 'Fail', Error: 'TooSmall', Cause: 'n must be over 1' },
    },
  });
  await define('block', { StartAt: 'T', States: { T: { Type: 'Task', Resource: BLOCK, End: true } } });
  await define('flaky', {
    StartAt: 'First',
    States: {
      First: { Type: 'Pass', Result: { step: 1 }, ResultPath: '$.first', Next: 'Load' },
      Load: { Type: 'Task', Resource: FLAKY, ResultPath: '$.load', End: true },
    },
  });
  await define(
    'express',
    { StartAt: 'P', States: { P: { Type: 'Pass', Result: { fast: true }, End: true } } },
    'EXPRESS',
  );
});
afterAll(async () => {
  await sfn.close();
});

describe('executions through @aws-sdk/client-sfn', () => {
  it('runs an execution and describes it and its history with AWS event types', async () => {
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: machines.choice, name: 'run-1', input: '{"n":5}' }),
    );
    const done = await waitForExecution(sfn.client, executionArn!);

    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"big"', name: 'run-1', redriveCount: 0 });
    expect(done.startDate).toBeInstanceOf(Date);
    const history = await sfn.client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.events?.[1]).toMatchObject({
      id: 2,
      previousEventId: 1,
      stateEnteredEventDetails: { name: 'C', input: '{"n":5}' },
    });
    const forExecution = await sfn.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(forExecution.name).toBe('choice');
  });

  it('reports a failure with its error and cause', async () => {
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: machines.choice, input: '{"n":0}' }),
    );
    expect(await waitForExecution(sfn.client, executionArn!)).toMatchObject({
      status: 'FAILED',
      error: 'TooSmall',
      cause: 'n must be over 1',
      redriveStatus: 'REDRIVABLE',
    });
  });

  it('pages, reverses and strips data from the history', async () => {
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: machines.choice, input: '{"n":9}' }),
    );
    await waitForExecution(sfn.client, executionArn!);

    const first = await sfn.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4 }));
    const rest = await sfn.client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 4, nextToken: first.nextToken }),
    );
    expect([...first.events!, ...rest.events!].map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rest.nextToken).toBeUndefined();
    const reversed = await sfn.client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );
    expect(reversed.events?.[0]?.type).toBe('ExecutionSucceeded');
    const bare = await sfn.client.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }),
    );
    expect(bare.events?.[0]?.executionStartedEventDetails?.input).toBeUndefined();
  });

  it('keeps names idempotent while running and refuses a reused name afterwards', async () => {
    const first = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: machines.block, name: 'held', input: '{}' }),
    );
    const again = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: machines.block, name: 'held', input: '{}' }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    await expect(
      sfn.client.send(
        new StartExecutionCommand({ stateMachineArn: machines.block, name: 'held', input: '{"other":1}' }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    await sfn.client.send(
      new StopExecutionCommand({
        executionArn: first.executionArn,
        error: 'Stopped.ByTest',
        cause: 'enough',
      }),
    );

    const stopped = await sfn.client.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Stopped.ByTest', cause: 'enough' });
    const history = await sfn.client.send(
      new GetExecutionHistoryCommand({ executionArn: first.executionArn, reverseOrder: true }),
    );
    expect(history.events?.[0]).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Stopped.ByTest' },
    });
  });

  it('filters and pages ListExecutions', async () => {
    const all = await sfn.client.send(new ListExecutionsCommand({ stateMachineArn: machines.choice }));
    const failed = await sfn.client.send(
      new ListExecutionsCommand({ stateMachineArn: machines.choice, statusFilter: 'FAILED' }),
    );
    expect(all.executions!.length).toBeGreaterThanOrEqual(3);
    expect(failed.executions!.every((e) => e.status === 'FAILED')).toBe(true);
    const page = await sfn.client.send(
      new ListExecutionsCommand({ stateMachineArn: machines.choice, maxResults: 1 }),
    );
    expect(page.executions).toHaveLength(1);
    expect(page.nextToken).toBeDefined();
  });

  it('refuses bad input and unknown executions', async () => {
    await expect(
      sfn.client.send(new StartExecutionCommand({ stateMachineArn: machines.choice, input: '{not json' })),
    ).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    await expect(
      sfn.client.send(
        new DescribeExecutionCommand({
          executionArn: `${machines.choice!.replace('stateMachine', 'execution')}:nope`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('runs an EXPRESS machine synchronously', async () => {
    const result = await sfn.client.send(
      new StartSyncExecutionCommand({ stateMachineArn: machines.express, input: '{}' }),
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: '{"fast":true}' });
    await expect(
      sfn.client.send(new StartSyncExecutionCommand({ stateMachineArn: machines.choice, input: '{}' })),
    ).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
    });
  });

  it('redrives a failed execution from the state that failed, same ARN', async () => {
    tasks.healed = false;
    tasks.calls = 0;
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: machines.flaky, input: '{"id":7}' }),
    );
    expect(await waitForExecution(sfn.client, executionArn!)).toMatchObject({
      status: 'FAILED',
      error: 'TransientError',
    });

    tasks.healed = true;
    const { redriveDate } = await sfn.client.send(new RedriveExecutionCommand({ executionArn }));
    const done = await waitForExecution(sfn.client, executionArn!);

    expect(redriveDate).toBeInstanceOf(Date);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(JSON.parse(done.output!)).toEqual({ id: 7, first: { step: 1 }, load: { loaded: true } });
    const types = (await sfn.client.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map(
      (e) => e.type,
    );
    expect(types.filter((t) => t === 'PassStateEntered')).toHaveLength(1);
    expect(types).toContain('ExecutionRedriven');
    await expect(sfn.client.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({
      name: 'ExecutionNotRedrivable',
    });
    const redriven = await sfn.client.send(
      new ListExecutionsCommand({ stateMachineArn: machines.flaky, redriveFilter: 'REDRIVEN' }),
    );
    expect(redriven.executions?.map((e) => e.executionArn)).toEqual([executionArn]);
  });
});

describe('persistence', () => {
  it('keeps executions and histories across a restart; one running when it stopped comes back FAILED and redrivable', async () => {
    const first = await startSfn({ taskRunner: tasks });
    const { stateMachineArn } = await first.client.send(
      new CreateStateMachineCommand({
        name: 'survivor',
        roleArn,
        definition: JSON.stringify({
          StartAt: 'T',
          States: { T: { Type: 'Task', Resource: BLOCK, End: true } },
        }),
      }),
    );
    const { executionArn } = await first.client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'in-flight', input: '{"a":1}' }),
    );
    await first.stop();

    const second = await startSfn({ dataDir: first.dataDir, taskRunner: tasks });
    try {
      const described = await second.client.send(new DescribeExecutionCommand({ executionArn }));
      expect(described).toMatchObject({
        status: 'FAILED',
        error: 'States.Runtime',
        redriveStatus: 'REDRIVABLE',
        input: '{"a":1}',
      });
      const history = await second.client.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(history.events?.map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'ExecutionFailed',
      ]);
    } finally {
      await second.close();
    }
  });
});
