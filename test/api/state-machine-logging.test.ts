import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  type LoggingConfiguration,
} from '@aws-sdk/client-sfn';
import { StatesError } from '../../local/engine/errors.ts';
import type { TaskRequest, TaskRunner } from '../../local/engine/ports.ts';
import { awsCli } from '../support/aws-cli.ts';
import { roleArn, startSfn, waitForExecution, type RunningSfn } from '../support/sfn-server.ts';

// The AWS CLI is a Python process per call: seconds each on a busy machine.
jest.setTimeout(60_000);

// What Step Functions writes to CloudWatch Logs: one log event per history event, with the
// fields `id`, `type`, `details`, `previous_event_id`, `event_timestamp`, `execution_arn`,
// `redrive_count` (numbers as strings), as an Express execution's log shows them
// (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html; example output in
// github.com/moralesl/masking-sensitive-express-step-functions). Which events each level logs:
// https://docs.aws.amazon.com/step-functions/latest/dg/cloudwatch-log-level.html.

const LOG_GROUP = '/aws/vendedlogs/states/logging-test';
const logging = (
  level: LoggingConfiguration['level'],
  includeExecutionData: boolean,
): LoggingConfiguration => ({
  level,
  includeExecutionData,
  destinations: [
    {
      cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:us-east-1:000000000000:log-group:${LOG_GROUP}:*` },
    },
  ],
});

const LOAD = 'arn:aws:lambda:us-east-1:000000000000:function:load';
/** `load` fails for the batch holding id 3. */
const work: TaskRunner = {
  async run(request: TaskRequest): Promise<unknown> {
    const { Items } = request.parameters as { Items: { id: number }[] };
    if (Items.some((item) => item.id === 3))
      throw new StatesError('TransientError', 'row 3 cannot be loaded');
    return { loaded: Items.length };
  },
};

interface LoggedEvent {
  id: string;
  type: string;
  details: Record<string, unknown>;
  previous_event_id: string;
  event_timestamp: string;
  execution_arn: string;
  redrive_count: string;
}

let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn({ taskRunner: work });
});
afterAll(() => sfn.close());

/** The log group's events about one execution, read with the AWS CLI's `logs filter-log-events`. */
async function loggedEvents(executionArn: string) {
  const answer = JSON.parse(
    await awsCli(
      sfn.url,
      'logs',
      'filter-log-events',
      '--log-group-name',
      LOG_GROUP,
      '--filter-pattern',
      `"${executionArn}"`,
    ),
  ) as { events: { logStreamName: string; message: string; timestamp: number }[] };
  return answer.events.map((event) => ({ ...event, parsed: JSON.parse(event.message) as LoggedEvent }));
}

async function expressMachine(name: string, loggingConfiguration: LoggingConfiguration, fail: boolean) {
  const { stateMachineArn } = await sfn.client.send(
    new CreateStateMachineCommand({
      name,
      type: 'EXPRESS',
      roleArn,
      loggingConfiguration,
      definition: JSON.stringify({
        StartAt: 'Greet',
        States: {
          Greet: { Type: 'Pass', Result: { hello: 'world' }, ...(fail ? { Next: 'Stop' } : { End: true }) },
          ...(fail ? { Stop: { Type: 'Fail', Error: 'Custom.Error', Cause: 'it had to stop' } } : {}),
        },
      }),
    }),
  );
  const run = await sfn.client.send(
    new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify({ secret: 'payload' }) }),
  );
  return { stateMachineArn: stateMachineArn!, executionArn: run.executionArn! };
}

describe('a state machine logging to CloudWatch Logs', () => {
  it('at ALL writes every event of an EXPRESS execution, in order, with AWS field names and its data', async () => {
    const { stateMachineArn, executionArn } = await expressMachine('log-all', logging('ALL', true), false);

    const events = await loggedEvents(executionArn);

    expect(events.map((e) => e.parsed.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.parsed.id)).toEqual(['1', '2', '3', '4']);
    for (const { parsed, logStreamName, timestamp } of events) {
      expect(Object.keys(parsed)).toEqual([
        'id',
        'type',
        'details',
        'previous_event_id',
        'event_timestamp',
        'execution_arn',
        'redrive_count',
      ]);
      expect(parsed).toMatchObject({ execution_arn: executionArn, redrive_count: '0' });
      expect(parsed.event_timestamp).toBe(String(timestamp));
      expect(logStreamName).toMatch(/^states\/log-all\/\d{4}-\d\d-\d\d-\d\d-\d\d\/\w+$/);
    }
    expect(events[0]!.parsed.details).toMatchObject({ input: '{"secret":"payload"}' });
    expect(events[2]!.parsed).toMatchObject({ previous_event_id: '2', details: { name: 'Greet' } });
    expect(events[3]!.parsed.details).toMatchObject({ output: '{"hello":"world"}' });
    const stream = JSON.parse(
      await awsCli(
        sfn.url,
        'logs',
        'get-log-events',
        '--log-group-name',
        LOG_GROUP,
        '--log-stream-name',
        events[0]!.logStreamName,
        '--start-from-head',
      ),
    ) as { events: { message: string }[] };
    expect(stream.events.map((e) => e.message)).toEqual(events.map((e) => e.message));
    const described = await sfn.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.loggingConfiguration).toEqual(logging('ALL', true));
  });

  it('at ERROR writes only the failure events, without execution data when it is not included', async () => {
    const { executionArn } = await expressMachine('log-errors', logging('ERROR', false), true);

    const events = await loggedEvents(executionArn);

    expect(events.map((e) => e.parsed.type)).toEqual(['FailStateEntered', 'ExecutionFailed']);
    expect(events[1]!.parsed.details).toEqual({ error: 'Custom.Error', cause: 'it had to stop' });
    expect(events[0]!.parsed.details).toEqual({ name: 'Stop' });
    expect(events.some((e) => e.message.includes('payload'))).toBe(false);
  });

  it('at OFF writes nothing', async () => {
    const { executionArn } = await expressMachine('log-off', logging('OFF', true), true);

    expect(await loggedEvents(executionArn)).toEqual([]);
  });

  it('is refused without a destination unless OFF', async () => {
    await expect(
      sfn.client.send(
        new CreateStateMachineCommand({
          name: 'log-nowhere',
          roleArn,
          loggingConfiguration: { level: 'ERROR' },
          definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidLoggingConfiguration' });
  });

  it("logs a Distributed Map's failed EXPRESS child under the parent's configuration, with the child's ARN", async () => {
    const { stateMachineArn } = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'log-map',
        roleArn,
        loggingConfiguration: logging('ERROR', false),
        definition: JSON.stringify({
          StartAt: 'Rows',
          States: {
            Rows: {
              Type: 'Map',
              ItemsPath: '$.rows',
              ItemBatcher: { MaxItemsPerBatch: 2 },
              ItemProcessor: {
                ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
                StartAt: 'Load',
                States: { Load: { Type: 'Task', Resource: LOAD, End: true } },
              },
              End: true,
            },
          },
        }),
      }),
    );
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({
        stateMachineArn,
        input: JSON.stringify({ rows: Array.from({ length: 6 }, (_, id) => ({ id })) }),
      }),
    );
    expect((await waitForExecution(sfn.client, executionArn!)).status).toBe('FAILED');
    const { mapRuns } = await sfn.client.send(new ListMapRunsCommand({ executionArn }));
    const { executions } = await sfn.client.send(
      new ListExecutionsCommand({ mapRunArn: mapRuns![0]!.mapRunArn, statusFilter: 'FAILED' }),
    );
    expect(executions).toHaveLength(1);
    const child = executions![0]!.executionArn!;

    const childEvents = await loggedEvents(child);

    expect(childEvents.map((e) => e.parsed.type)).toEqual(['LambdaFunctionFailed', 'ExecutionFailed']);
    expect(childEvents[0]!.parsed).toMatchObject({
      execution_arn: child,
      details: { error: 'TransientError', cause: 'row 3 cannot be loaded' },
    });
    expect(childEvents[0]!.logStreamName).toMatch(/^states\/log-map\//);
    // The parent's own failure is in the same log group.
    expect((await loggedEvents(executionArn!)).map((e) => e.parsed.type)).toContain('ExecutionFailed');
    const forChild = await sfn.client.send(
      new DescribeStateMachineForExecutionCommand({ executionArn: child }),
    );
    expect(forChild.loggingConfiguration).toEqual(logging('ERROR', false));
  });
});
