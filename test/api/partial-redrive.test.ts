import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { StatesError } from '../../local/engine/errors.ts';
import type { TaskRequest, TaskRunner } from '../../local/engine/ports.ts';
import { roleArn, startSfn, waitForExecution, type RunningSfn } from '../support/sfn-server.ts';

// https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html: a redriven inline
// Map or Parallel reruns only the iterations or branches that did not succeed.
const WORK = 'arn:aws:lambda:us-east-1:000000000000:function:work';

/** `work` fails for the ids in `broken`, and remembers every id it was called with. */
const work: TaskRunner & { broken: Set<string>; calls: string[] } = {
  broken: new Set(),
  calls: [],
  async run(request: TaskRequest): Promise<unknown> {
    const { id } = request.parameters as { id: string };
    work.calls.push(id);
    if (work.broken.has(id)) throw new StatesError('TransientError', `${id} cannot be done yet`);
    return { done: id };
  },
};

const task = (id?: string) => ({
  Type: 'Task',
  Resource: WORK,
  ...(id ? { Parameters: { id } } : {}),
  End: true,
});

let sfn: RunningSfn;
const machines: Record<string, string> = {};
beforeAll(async () => {
  sfn = await startSfn({ taskRunner: work });
  const define = async (name: string, definition: object) => {
    const { stateMachineArn } = await sfn.client.send(
      new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn }),
    );
    machines[name] = stateMachineArn!;
  };
  await define('map', {
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Next: 'Each' },
      Each: {
        Type: 'Map',
        ItemsPath: '$.ids',
        MaxConcurrency: 1,
        ItemSelector: { 'id.$': '$$.Map.Item.Value' },
        ItemProcessor: { StartAt: 'Work', States: { Work: task() } },
        End: true,
      },
    },
  });
  await define('parallel', {
    StartAt: 'All',
    States: {
      All: {
        Type: 'Parallel',
        Branches: ['a', 'b', 'c'].map((id) => ({
          StartAt: `Work${id}`,
          States: { [`Work${id}`]: task(id) },
        })),
        End: true,
      },
    },
  });
});
afterAll(() => sfn.close());

async function failThenRedrive(machine: string, input: object) {
  const { executionArn } = await sfn.client.send(
    new StartExecutionCommand({ stateMachineArn: machines[machine], input: JSON.stringify(input) }),
  );
  const failed = await waitForExecution(sfn.client, executionArn!);
  const before = [...work.calls];
  work.calls.length = 0;
  work.broken.clear();
  await sfn.client.send(new RedriveExecutionCommand({ executionArn }));
  const done = await waitForExecution(sfn.client, executionArn!);
  return { executionArn: executionArn!, failed, done, before, after: [...work.calls] };
}

describe('redrive of an inline Map or a Parallel', () => {
  it('reruns only the Map iterations that had not succeeded, and the output has all of them', async () => {
    work.calls.length = 0;
    work.broken = new Set(['c']);

    const run = await failThenRedrive('map', { ids: ['a', 'b', 'c', 'd'] });

    expect(run.failed).toMatchObject({ status: 'FAILED', error: 'TransientError' });
    expect(run.before).toEqual(['a', 'b', 'c']);
    expect(run.after).toEqual(['c', 'd']);
    expect(run.done.status).toBe('SUCCEEDED');
    expect(JSON.parse(run.done.output!)).toEqual(['a', 'b', 'c', 'd'].map((id) => ({ done: id })));
  });

  it('reruns only the Parallel branches that had failed', async () => {
    work.calls.length = 0;
    work.broken = new Set(['b']);

    const run = await failThenRedrive('parallel', {});

    expect(run.before.sort()).toEqual(['a', 'b', 'c']);
    expect(run.after).toEqual(['b']);
    expect(JSON.parse(run.done.output!)).toEqual([{ done: 'a' }, { done: 'b' }, { done: 'c' }]);
    const { events } = await sfn.client.send(
      new GetExecutionHistoryCommand({ executionArn: run.executionArn }),
    );
    expect(events!.filter((e) => e.type === 'ParallelStateStarted')).toHaveLength(2);
  });

  it('reuses what succeeded across a restart of the emulator', async () => {
    work.calls.length = 0;
    work.broken = new Set(['b']);
    const { executionArn } = await sfn.client.send(
      new StartExecutionCommand({
        stateMachineArn: machines.map,
        input: JSON.stringify({ ids: ['a', 'b', 'c'] }),
      }),
    );
    await waitForExecution(sfn.client, executionArn!);
    await sfn.stop();
    sfn = await startSfn({ dataDir: sfn.dataDir, taskRunner: work });
    work.calls.length = 0;
    work.broken.clear();

    await sfn.client.send(new RedriveExecutionCommand({ executionArn }));
    const done = await waitForExecution(sfn.client, executionArn!);

    expect(work.calls).toEqual(['b', 'c']);
    expect(JSON.parse(done.output!)).toEqual(['a', 'b', 'c'].map((id) => ({ done: id })));
  });
});
