import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { systemClock } from '../../local/engine/clock.ts';
import type { TaskRunner } from '../../local/engine/ports.ts';
import { startStepFunctionsServer, type StepFunctionsApiOptions } from '../../local/api/server.ts';
import { roleArn, waitForExecution } from '../support/sfn-server.ts';

// DESIGN: "An error inside one execution never reaches the process." Each case is a way a throw
// inside an execution used to escape it: as a 500, an execution RUNNING forever, or a rejection
// no one waited for (which ends Node, and with it every local service).

const passMachine = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };
const noTasks: TaskRunner = { run: () => Promise.reject(new Error('no tasks here')) };

let dataDir: string;
let unhandled: unknown[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let servers: { close(): Promise<void> }[];

async function start(options: Partial<StepFunctionsApiOptions> = {}) {
  const server = await startStepFunctionsServer({
    dataDir,
    port: 0,
    taskRunner: noTasks,
    clock: systemClock(0),
    ...options,
  });
  servers.push(server);
  const client = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    disableHostPrefix: true,
  });
  return { server, client };
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'chute-failures-'));
  unhandled = [];
  servers = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  for (const server of servers) await server.close().catch(() => {});
  process.off('unhandledRejection', onUnhandled);
  await rm(dataDir, { recursive: true, force: true });
});

describe('an error inside an execution stays in that execution', () => {
  it('a stored definition that no longer validates fails its execution, not the request', async () => {
    const first = await start();
    const { stateMachineArn } = await first.client.send(
      new CreateStateMachineCommand({ name: 'old', definition: JSON.stringify(passMachine), roleArn }),
    );
    await first.server.close();
    // As a definition an older Chute accepted and this one refuses would be read back.
    const dir = join(dataDir, 'state-machines');
    for (const name of await readdir(dir)) {
      const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>;
      record.definition = JSON.stringify({ StartAt: 'Gone', States: passMachine.States });
      await writeFile(join(dir, name), JSON.stringify(record));
    }
    const { client } = await start();

    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn }));
    const described = await waitForExecution(client, executionArn!);

    expect(described).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: expect.stringContaining("Missing 'Next' target: Gone at /StartAt"),
    });
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((e) => e.type)).toEqual(['ExecutionFailed']);
    expect(unhandled).toEqual([]);
  });

  it('an input over 256 KiB given by a caller inside the emulator fails its execution', async () => {
    const { server } = await start();
    const input = { blob: 'x'.repeat(300 * 1024) };

    // The Map Run checks its children's inputs itself; this is the guard behind that check.
    const started = await server.api.services.executions.start({
      machine: {
        arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:inner',
        name: 'inner',
        definition: JSON.stringify(passMachine),
        roleArn,
        type: 'STANDARD',
      },
      input: JSON.stringify(input),
      inputValue: input,
    });
    const done = await server.api.services.executions.wait(started.executionArn);

    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: expect.stringMatching(/^The execution input has a size of 30\d{4} bytes/),
    });
    expect(unhandled).toEqual([]);
  });

  it('a listener that throws when an execution ends does not fail the execution or the request', async () => {
    const { client } = await start({
      onExecutionEnded: () => {
        throw new Error('the event bus is down');
      },
    });
    const { stateMachineArn } = await client.send(
      new CreateStateMachineCommand({
        name: 'express',
        definition: JSON.stringify(passMachine),
        roleArn,
        type: 'EXPRESS',
      }),
    );

    const result = await client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"a":1}' }));

    expect(result).toMatchObject({ status: 'SUCCEEDED', output: '{"a":1}' });
    expect(unhandled).toEqual([]);
  });

  it('writes that fail (the data dir removed) are retried, the API answering meanwhile', async () => {
    const { server, client } = await start();
    const { stateMachineArn } = await client.send(
      new CreateStateMachineCommand({ name: 'kept', definition: JSON.stringify(passMachine), roleArn }),
    );
    await rm(join(dataDir, 'executions'), { recursive: true });
    await rm(join(dataDir, 'histories'), { recursive: true });

    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    expect(await waitForExecution(client, executionArn!)).toMatchObject({ status: 'SUCCEEDED' });
    // Past the write-behind delay: the first writes have failed by now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { stateMachines } = await client.send(new ListStateMachinesCommand({}));
    expect(stateMachines).toHaveLength(1);

    await mkdir(join(dataDir, 'executions'));
    await mkdir(join(dataDir, 'histories'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await server.close();
    const { client: again } = await start();
    const described = await again.send(new DescribeExecutionCommand({ executionArn }));
    const { events } = await again.send(new GetExecutionHistoryCommand({ executionArn }));

    expect(described.status).toBe('SUCCEEDED');
    expect(events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(unhandled).toEqual([]);
  }, 20_000);

  it('a history whose last line was cut short (a crash mid-write) can still be read and redriven', async () => {
    const tasks: TaskRunner & { healed: boolean } = {
      healed: false,
      run: async () => {
        if (!tasks.healed) throw new Error('not yet');
        return { ok: true };
      },
    };
    const first = await start({ taskRunner: tasks });
    const { stateMachineArn } = await first.client.send(
      new CreateStateMachineCommand({
        name: 'task',
        definition: JSON.stringify({
          StartAt: 'Work',
          States: {
            Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:w', End: true },
          },
        }),
        roleArn,
      }),
    );
    const { executionArn } = await first.client.send(new StartExecutionCommand({ stateMachineArn }));
    expect(await waitForExecution(first.client, executionArn!)).toMatchObject({ status: 'FAILED' });
    await first.server.close();
    const dir = join(dataDir, 'histories');
    for (const name of await readdir(dir)) await appendFile(join(dir, name), '{"id":99,"type":"Execu');
    tasks.healed = true;
    const { client } = await start({ taskRunner: tasks });

    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    await client.send(new RedriveExecutionCommand({ executionArn }));

    expect(events!.at(-1)!.type).toBe('ExecutionFailed');
    expect(await waitForExecution(client, executionArn!)).toMatchObject({ status: 'SUCCEEDED' });
    // The redrive's events start on a line of their own: none is lost with the broken one.
    const after = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(after.events!.map((e) => e.type).slice(events!.length)).toEqual([
      'ExecutionRedriven',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });
});
