import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  type ExecutionListItem,
} from '@aws-sdk/client-sfn';
import { StatesError } from '../../local/engine/errors.ts';
import type { TaskRequest, TaskRunner } from '../../local/engine/ports.ts';
import { memoryObjectStore } from '../support/memory-object-store.ts';
import { roleArn, startSfn, waitForExecution, type RunningSfn } from '../support/sfn-server.ts';

// Map Runs as AWS describes them:
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListMapRuns.html
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_MapRunItemCounts.html
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html (a child's
// state machine is `arn:…:stateMachine:<name>/<MapRunLabel or UUID>`)
// https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html (a redrive reruns the
// unsuccessful children: STANDARD ones are redriven, EXPRESS ones started anew with StartExecution)

const PREPARE = 'arn:aws:lambda:us-east-1:000000000000:function:prepare';
const LOAD = 'arn:aws:lambda:us-east-1:000000000000:function:load';

/** `load` fails for the ids in `broken`; every call is remembered as `<function>:<id>`. */
const work: TaskRunner & { broken: Set<number>; calls: string[] } = {
  broken: new Set(),
  calls: [],
  async run(request: TaskRequest): Promise<unknown> {
    const { Items } = request.parameters as { Items: { id: number }[] };
    const ids = Items.map((item) => item.id);
    const fn = request.resource === PREPARE ? 'prepare' : 'load';
    for (const id of ids) work.calls.push(`${fn}:${id}`);
    if (fn === 'load' && ids.some((id) => work.broken.has(id)))
      throw new StatesError('TransientError', `${ids.join(',')} cannot be loaded yet`);
    return { [fn]: ids };
  },
};

function mapMachine(options: {
  executionType: 'STANDARD' | 'EXPRESS';
  label?: string;
  perBatch?: number;
  resultWriter?: boolean;
}) {
  return JSON.stringify({
    StartAt: 'Rows',
    States: {
      Rows: {
        Type: 'Map',
        ...(options.label ? { Label: options.label } : {}),
        ItemsPath: '$.rows',
        ItemBatcher: { MaxItemsPerBatch: options.perBatch ?? 1 },
        MaxConcurrency: 1,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: options.executionType },
          StartAt: 'Prepare',
          States: {
            Prepare: { Type: 'Task', Resource: PREPARE, ResultPath: null, Next: 'Load' },
            Load: { Type: 'Task', Resource: LOAD, End: true },
          },
        },
        ...(options.resultWriter
          ? {
              ResultWriter: {
                Resource: 'arn:aws:states:::s3:putObject',
                Parameters: { Bucket: 'results', Prefix: 'out' },
              },
            }
          : {}),
        End: true,
      },
    },
  });
}

const rows = { rows: Array.from({ length: 10 }, (_, id) => ({ id })) };
const allCounts = (values: Partial<Record<string, number>>) => ({
  pending: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  aborted: 0,
  total: 0,
  resultsWritten: 0,
  failuresNotRedrivable: 0,
  pendingRedrive: 0,
  ...values,
});

let sfn: RunningSfn;
const store = memoryObjectStore();
beforeAll(async () => {
  sfn = await startSfn({ taskRunner: work, objectStore: store });
});
afterAll(() => sfn.close());

async function start(name: string, definition: string) {
  const { stateMachineArn } = await sfn.client.send(
    new CreateStateMachineCommand({ name, definition, roleArn }),
  );
  const { executionArn } = await sfn.client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(rows) }),
  );
  const done = await waitForExecution(sfn.client, executionArn!);
  const { mapRuns } = await sfn.client.send(new ListMapRunsCommand({ executionArn }));
  return { stateMachineArn: stateMachineArn!, executionArn: executionArn!, done, mapRuns: mapRuns! };
}

async function childrenOf(mapRunArn: string): Promise<ExecutionListItem[]> {
  const { executions } = await sfn.client.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000 }));
  return executions!;
}

describe('Map Run API', () => {
  it('names the children’s state machine `<machine>/<Label>` in ListMapRuns, the children and their machine', async () => {
    work.broken.clear();
    const run = await start('labelled', mapMachine({ executionType: 'STANDARD', label: 'Rows' }));

    expect(run.done.status).toBe('SUCCEEDED');
    expect(run.mapRuns).toHaveLength(1);
    expect(run.mapRuns[0]!.stateMachineArn).toBe(`${run.stateMachineArn}/Rows`);
    expect(run.mapRuns[0]!.mapRunArn).toMatch(/:mapRun:labelled\/Rows:[0-9a-f-]{36}$/);
    const [child] = await childrenOf(run.mapRuns[0]!.mapRunArn!);
    expect(child!.stateMachineArn).toBe(`${run.stateMachineArn}/Rows`);
    const machine = await sfn.client.send(
      new DescribeStateMachineForExecutionCommand({ executionArn: child!.executionArn }),
    );
    expect(machine).toMatchObject({
      stateMachineArn: `${run.stateMachineArn}/Rows`,
      label: 'Rows',
      mapRunArn: run.mapRuns[0]!.mapRunArn,
    });
  });

  it('without a Label, uses one UUID in the Map Run ARN and the children’s state machine', async () => {
    const run = await start('unlabelled', mapMachine({ executionType: 'STANDARD' }));

    const match = /:mapRun:unlabelled\/([0-9a-f-]{36}):[0-9a-f-]{36}$/.exec(run.mapRuns[0]!.mapRunArn!);
    expect(match).not.toBeNull();
    expect(run.mapRuns[0]!.stateMachineArn).toBe(`${run.stateMachineArn}/${match![1]}`);
  });

  it('reports every item and execution count, resultsWritten included, and each child’s itemCount', async () => {
    const run = await start(
      'written',
      mapMachine({ executionType: 'STANDARD', perBatch: 2, resultWriter: true }),
    );

    expect(run.done.status).toBe('SUCCEEDED');
    const described = await sfn.client.send(
      new DescribeMapRunCommand({ mapRunArn: run.mapRuns[0]!.mapRunArn }),
    );
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 0,
      maxConcurrency: 1,
      itemCounts: allCounts({ succeeded: 10, total: 10, resultsWritten: 10 }),
      executionCounts: allCounts({ succeeded: 5, total: 5, resultsWritten: 5 }),
    });
    const children = await childrenOf(run.mapRuns[0]!.mapRunArn!);
    expect(children.map((child) => child.itemCount)).toEqual([2, 2, 2, 2, 2]);
  });
});

describe('redrive of a Distributed Map', () => {
  it('redrives a STANDARD child that failed (same ARN, redriveCount 1, only its failed state) and starts the ones never run', async () => {
    work.broken = new Set([7]);
    work.calls.length = 0;
    const run = await start('standard-children', mapMachine({ executionType: 'STANDARD' }));
    expect(run.done).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    const mapRunArn = run.mapRuns[0]!.mapRunArn!;
    const before = await childrenOf(mapRunArn);
    const failed = before.find((child) => child.status === 'FAILED')!;
    const failedRun = await sfn.client.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(failedRun.itemCounts).toMatchObject({ succeeded: 7, failed: 1 });

    work.broken.clear();
    work.calls.length = 0;
    await sfn.client.send(new RedriveExecutionCommand({ executionArn: run.executionArn }));
    const done = await waitForExecution(sfn.client, run.executionArn);

    expect(done.status).toBe('SUCCEEDED');
    const after = await childrenOf(mapRunArn);
    expect(after).toHaveLength(10);
    expect(after.every((child) => child.status === 'SUCCEEDED')).toBe(true);
    expect(after.find((child) => child.executionArn === failed.executionArn)).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 1,
    });
    const { executions: redriven } = await sfn.client.send(
      new ListExecutionsCommand({ mapRunArn, redriveFilter: 'REDRIVEN' }),
    );
    expect(redriven!.map((child) => child.executionArn)).toEqual([failed.executionArn]);
    // The failed child went on from Load; the two never started ran whole.
    expect(work.calls.sort()).toEqual(['load:7', 'load:8', 'load:9', 'prepare:8', 'prepare:9']);
    const { events } = await sfn.client.send(
      new GetExecutionHistoryCommand({ executionArn: failed.executionArn }),
    );
    expect(events!.filter((event) => event.type === 'ExecutionRedriven')).toEqual([
      expect.objectContaining({ executionRedrivenEventDetails: { redriveCount: 1 } }),
    ]);
    expect(events!.at(-1)!.type).toBe('ExecutionSucceeded');
    const described = await sfn.client.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 1,
      redriveDate: expect.any(Date),
      itemCounts: allCounts({ succeeded: 10, total: 10 }),
      executionCounts: allCounts({ succeeded: 10, total: 10 }),
    });
  });

  it('starts EXPRESS children that failed anew: the failed one stays FAILED beside its new run', async () => {
    work.broken = new Set([7]);
    work.calls.length = 0;
    const run = await start('express-children', mapMachine({ executionType: 'EXPRESS' }));
    expect(run.done.status).toBe('FAILED');
    const mapRunArn = run.mapRuns[0]!.mapRunArn!;
    const failed = (await childrenOf(mapRunArn)).find((child) => child.status === 'FAILED')!;

    work.broken.clear();
    work.calls.length = 0;
    await sfn.client.send(new RedriveExecutionCommand({ executionArn: run.executionArn }));
    const done = await waitForExecution(sfn.client, run.executionArn);

    expect(done.status).toBe('SUCCEEDED');
    const after = await childrenOf(mapRunArn);
    expect(after).toHaveLength(11);
    expect(after.filter((child) => child.status === 'SUCCEEDED')).toHaveLength(10);
    expect(after.find((child) => child.executionArn === failed.executionArn)).toMatchObject({
      status: 'FAILED',
      redriveCount: 0,
    });
    expect(after.every((child) => child.redriveCount === 0)).toBe(true);
    expect(work.calls.sort()).toEqual(['load:7', 'load:8', 'load:9', 'prepare:7', 'prepare:8', 'prepare:9']);
    const described = await sfn.client.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 1,
      itemCounts: expect.objectContaining({ succeeded: 10, failed: 0, pendingRedrive: 0 }),
    });
  });
});

describe('EXPRESS Map Run children', () => {
  // DescribeExecution: "Executions of an EXPRESS state machine aren't supported by
  // DescribeExecution unless a Map Run dispatched them"
  // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html);
  // GetExecutionHistory: "not supported by EXPRESS state machines"
  // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html).
  it('are described with their input and output but have no history', async () => {
    work.broken.clear();
    const run = await start('express-described', mapMachine({ executionType: 'EXPRESS', label: 'Rows' }));
    const [child] = await childrenOf(run.mapRuns[0]!.mapRunArn!);

    expect(child!.executionArn).toMatch(/:express:express-described\/Rows:/);
    const described = await sfn.client.send(
      new DescribeExecutionCommand({ executionArn: child!.executionArn }),
    );
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      mapRunArn: run.mapRuns[0]!.mapRunArn,
      input: expect.stringContaining('"Items"'),
      output: expect.stringContaining('"load"'),
    });
    await expect(
      sfn.client.send(new GetExecutionHistoryCommand({ executionArn: child!.executionArn })),
    ).rejects.toMatchObject({
      name: 'InvalidArn',
      message: "Invalid Arn: 'Resource type not valid in this context: express'",
    });
  });
});
