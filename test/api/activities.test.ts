import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListActivitiesCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { awsCli } from '../support/aws-cli.ts';
import { roleArn, startSfn, waitForExecution, type RunningSfn } from '../support/sfn-server.ts';

// The AWS CLI is a Python process per call: seconds each on a busy machine.
jest.setTimeout(60_000);

// Activities: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html

/** A machine whose one Task is the activity, given extra Task fields. */
async function startActivityExecution(
  client: SFNClient,
  name: string,
  activityArn: string,
  input: object,
  task: Record<string, unknown> = {},
): Promise<string> {
  const { stateMachineArn } = await client.send(
    new CreateStateMachineCommand({
      name,
      roleArn,
      definition: JSON.stringify({
        StartAt: 'Work',
        States: { Work: { Type: 'Task', Resource: activityArn, End: true, ...task } },
      }),
    }),
  );
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  );
  return executionArn!;
}

const typesOf = async (client: SFNClient, executionArn: string) =>
  (await client.send(new GetExecutionHistoryCommand({ executionArn }))).events!;

describe('activities', () => {
  let sfn: RunningSfn;
  beforeAll(async () => {
    sfn = await startSfn({ activityPollSeconds: 0.3 });
  });
  afterAll(() => sfn.close());

  it('creates (idempotently), describes, lists and deletes activities', async () => {
    const created = await sfn.client.send(new CreateActivityCommand({ name: 'review' }));
    const again = await sfn.client.send(new CreateActivityCommand({ name: 'review' }));

    expect(created.activityArn).toBe('arn:aws:states:us-east-1:000000000000:activity:review');
    expect(again.activityArn).toBe(created.activityArn);
    expect(
      await sfn.client.send(new DescribeActivityCommand({ activityArn: created.activityArn })),
    ).toMatchObject({
      activityArn: created.activityArn,
      name: 'review',
      creationDate: created.creationDate,
    });
    const listed = await sfn.client.send(new ListActivitiesCommand({}));
    expect(listed.activities!.map((a) => a.name)).toContain('review');
    await sfn.client.send(new DeleteActivityCommand({ activityArn: created.activityArn }));
    await expect(
      sfn.client.send(new DescribeActivityCommand({ activityArn: created.activityArn })),
    ).rejects.toMatchObject({ name: 'ActivityDoesNotExist' });
  });

  it('answers GetActivityTask with no token when no task comes within the poll', async () => {
    const { activityArn } = await sfn.client.send(new CreateActivityCommand({ name: 'idle' }));

    const task = await sfn.client.send(new GetActivityTaskCommand({ activityArn }));

    expect(task.taskToken).toBeUndefined();
  });

  it('hands a scheduled task to a long-polling worker, whose SendTaskSuccess ends the Task', async () => {
    const { activityArn } = await sfn.client.send(new CreateActivityCommand({ name: 'pack' }));
    const slowSfn = await startSfn({ activityPollSeconds: 30 });
    await slowSfn.client.send(new CreateActivityCommand({ name: 'pack' }));
    try {
      // The worker polls before anything is scheduled: the poll is answered when the Task starts.
      const poll = slowSfn.client.send(new GetActivityTaskCommand({ activityArn, workerName: 'packer-1' }));
      const executionArn = await startActivityExecution(slowSfn.client, 'pack', activityArn!, { box: 7 });
      const task = await poll;
      expect(JSON.parse(task.input!)).toEqual({ box: 7 });

      await slowSfn.client.send(
        new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"packed":7}' }),
      );

      const done = await waitForExecution(slowSfn.client, executionArn);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toEqual({ packed: 7 });
      const events = await typesOf(slowSfn.client, executionArn);
      expect(events.map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'ActivityScheduled',
        'ActivityStarted',
        'ActivitySucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
      expect(events[2]!.activityScheduledEventDetails).toMatchObject({
        resource: activityArn,
        input: '{"box":7}',
      });
      expect(events[3]!.activityStartedEventDetails).toEqual({ workerName: 'packer-1' });
    } finally {
      await slowSfn.close();
    }
  });

  it('fails the Task with SendTaskFailure as ActivityFailed', async () => {
    const { activityArn } = await sfn.client.send(new CreateActivityCommand({ name: 'ship' }));
    const executionArn = await startActivityExecution(sfn.client, 'ship', activityArn!, {});
    let task;
    do task = await sfn.client.send(new GetActivityTaskCommand({ activityArn }));
    while (!task.taskToken);

    await sfn.client.send(
      new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'NoStock', cause: 'empty shelf' }),
    );

    expect(await waitForExecution(sfn.client, executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'NoStock',
      cause: 'empty shelf',
    });
    const failed = (await typesOf(sfn.client, executionArn)).find((e) => e.type === 'ActivityFailed');
    expect(failed?.activityFailedEventDetails).toEqual({ error: 'NoStock', cause: 'empty shelf' });
  });

  it('times out a taken task without heartbeats as ActivityTimedOut with States.HeartbeatTimeout', async () => {
    const { activityArn } = await sfn.client.send(new CreateActivityCommand({ name: 'slow' }));
    const executionArn = await startActivityExecution(
      sfn.client,
      'slow',
      activityArn!,
      {},
      { HeartbeatSeconds: 10 },
    );
    let task;
    do task = await sfn.client.send(new GetActivityTaskCommand({ activityArn }));
    while (!task.taskToken);

    expect(await waitForExecution(sfn.client, executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.HeartbeatTimeout',
    });
    const timedOut = (await typesOf(sfn.client, executionArn)).find((e) => e.type === 'ActivityTimedOut');
    expect(timedOut?.activityTimedOutEventDetails).toMatchObject({ error: 'States.HeartbeatTimeout' });
    await expect(
      sfn.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('serves get-activity-task and send-task-success to the AWS CLI', async () => {
    const { activityArn } = await sfn.client.send(new CreateActivityCommand({ name: 'cli' }));
    const executionArn = await startActivityExecution(sfn.client, 'cli', activityArn!, { from: 'cli' });
    let task: { taskToken?: string; input?: string };
    do {
      task = JSON.parse(
        (await awsCli(sfn.url, 'stepfunctions', 'get-activity-task', '--activity-arn', activityArn!)) || '{}',
      ) as typeof task;
    } while (!task.taskToken);
    expect(JSON.parse(task.input!)).toEqual({ from: 'cli' });

    await awsCli(
      sfn.url,
      'stepfunctions',
      'send-task-success',
      '--task-token',
      task.taskToken,
      '--task-output',
      '{"done":"by cli"}',
    );

    const done = await waitForExecution(sfn.client, executionArn);
    expect(JSON.parse(done.output!)).toEqual({ done: 'by cli' });
  });
});

describe('a restart', () => {
  it('keeps activities, and fails the execution whose task was waiting, its token then timed out', async () => {
    const first = await startSfn({ activityPollSeconds: 0.3 });
    const { activityArn } = await first.client.send(new CreateActivityCommand({ name: 'durable' }));
    const executionArn = await startActivityExecution(first.client, 'durable', activityArn!, {});
    let task;
    do task = await first.client.send(new GetActivityTaskCommand({ activityArn }));
    while (!task.taskToken);
    await first.stop();

    const second = await startSfn({ dataDir: first.dataDir, activityPollSeconds: 0.3 });
    try {
      expect(await second.client.send(new DescribeActivityCommand({ activityArn }))).toMatchObject({
        name: 'durable',
      });
      expect(await waitForExecution(second.client, executionArn)).toMatchObject({
        status: 'FAILED',
        error: 'States.Runtime',
      });
      await expect(
        second.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' })),
      ).rejects.toMatchObject({ name: 'TaskTimedOut' });
    } finally {
      await second.close();
    }
  });
});
