import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { waitForRun } from '../../../local/cli/wait-for-file.ts';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';

const csv = [
  'id,fail',
  ...Array.from({ length: 10 }, (_, i) => `${i},${i === 3 || i === 7 ? 'yes' : 'no'}`),
].join('\r\n');
const flaky = { broken: true };

function mapMachine(tolerance: Record<string, number>, withTask = false) {
  const processor = withTask
    ? {
        StartAt: 'Work',
        States: {
          Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:flaky', End: true },
        },
      }
    : {
        StartAt: 'Check',
        States: {
          Check: {
            Type: 'Choice',
            Choices: [{ Variable: '$.Items[0].fail', StringEquals: 'yes', Next: 'Broken' }],
            Default: 'Fine',
          },
          Broken: { Type: 'Fail', Error: 'Row.Refused', Cause: 'this row fails' },
          Fine: { Type: 'Pass', End: true },
        },
      };
  return JSON.stringify({
    StartAt: 'Rows',
    States: {
      Rows: {
        Type: 'Map',
        Label: 'Rows',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
          Parameters: { Bucket: 'maps', Key: 'rows.csv' },
        },
        ItemBatcher: { MaxItemsPerBatch: 1 },
        MaxConcurrency: 4,
        ...tolerance,
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'maps', Prefix: 'out' },
        },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...processor },
        End: true,
      },
    },
  });
}

async function run(cloud: LocalCloud, name: string, definition: string) {
  const { stateMachineArn } = await cloud.clients.sfn.send(
    new CreateStateMachineCommand({ name, definition, roleArn: 'arn:aws:iam::000000000000:role/test' }),
  );
  const { executionArn } = await cloud.clients.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: '{}' }),
  );
  return waitForRun(cloud.clients, executionArn!);
}

const readJson = async (cloud: LocalCloud, key: string) =>
  JSON.parse(
    await (
      await cloud.clients.s3.send(new GetObjectCommand({ Bucket: 'maps', Key: key }))
    ).Body!.transformToString(),
  );

describe('Distributed Map on the local cloud', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chute-map-'));
    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
    // While broken, the batch holding row 3 fails: the rows before it succeed.
    cloud.functions.flaky = async (event) => {
      const row = (event as { Items: { id: string }[] }).Items[0]!;
      if (flaky.broken && row.id === '3')
        throw Object.assign(new Error('not yet'), { name: 'TransientError' });
      return { ok: true };
    };
    await cloud.clients.s3.send(new CreateBucketCommand({ Bucket: 'maps' }));
    await cloud.clients.s3.send(
      new PutObjectCommand({ Bucket: 'maps', Key: 'rows.csv', Body: `\ufeff${csv}` }),
    );
  }, 60_000);
  afterAll(async () => {
    await cloud.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html
  it('tolerates 2 failed items of 10 at ToleratedFailureCount 2, and writes the result files', async () => {
    const result = await run(cloud, 'tolerant', mapMachine({ ToleratedFailureCount: 2 }));

    expect(result.status).toBe('SUCCEEDED');
    const { mapRuns } = await cloud.clients.sfn.send(
      new ListMapRunsCommand({ executionArn: result.executionArn }),
    );
    const described = await cloud.clients.sfn.send(
      new DescribeMapRunCommand({ mapRunArn: mapRuns![0]!.mapRunArn }),
    );
    expect(described.itemCounts).toMatchObject({ total: 10, succeeded: 8, failed: 2 });
    const history = await cloud.clients.sfn.send(
      new GetExecutionHistoryCommand({ executionArn: result.executionArn }),
    );
    const output = JSON.parse(history.events!.at(-1)!.executionSucceededEventDetails!.output!);
    expect(output.MapRunArn).toBe(mapRuns![0]!.mapRunArn);
    const manifest = await readJson(cloud, output.ResultWriterDetails.Key);
    expect(manifest.ResultFiles.SUCCEEDED).toHaveLength(1);
    const succeeded = await readJson(cloud, manifest.ResultFiles.SUCCEEDED[0].Key);
    const failed = await readJson(cloud, manifest.ResultFiles.FAILED[0].Key);
    expect(succeeded).toHaveLength(8);
    expect(failed.map((entry: { Error: string }) => entry.Error)).toEqual(['Row.Refused', 'Row.Refused']);
    expect(JSON.parse(failed[0].Input).Items[0].fail).toBe('yes');
  });

  it('fails with States.ExceedToleratedFailureThreshold at ToleratedFailureCount 1', async () => {
    const result = await run(cloud, 'strict', mapMachine({ ToleratedFailureCount: 1 }));

    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });

  it('fails at 19% and passes at 20% of 10 items with 2 failures', async () => {
    expect((await run(cloud, 'pct-19', mapMachine({ ToleratedFailurePercentage: 19 }))).status).toBe(
      'FAILED',
    );
    expect((await run(cloud, 'pct-20', mapMachine({ ToleratedFailurePercentage: 20 }))).status).toBe(
      'SUCCEEDED',
    );
  });

  it('keeps a failed run across a restart of the local cloud and redrives only its failed children', async () => {
    flaky.broken = true;
    const failed = await run(cloud, 'restartable', mapMachine({}, true));
    expect(failed.status).toBe('FAILED');
    const before = await cloud.clients.sfn.send(
      new ListMapRunsCommand({ executionArn: failed.executionArn }),
    );
    const firstRun = await cloud.clients.sfn.send(
      new DescribeMapRunCommand({ mapRunArn: before.mapRuns![0]!.mapRunArn }),
    );
    const succeededBefore = firstRun.itemCounts!.succeeded!;
    expect(succeededBefore).toBeGreaterThan(0);
    await cloud.close();

    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
    flaky.broken = false;
    let calls = 0;
    cloud.functions.flaky = async () => {
      calls++;
      return { ok: true };
    };
    await cloud.clients.sfn.send(new RedriveExecutionCommand({ executionArn: failed.executionArn }));
    const redriven = await waitForRun(cloud.clients, failed.executionArn);

    expect(redriven.status).toBe('SUCCEEDED');
    const { mapRuns } = await cloud.clients.sfn.send(
      new ListMapRunsCommand({ executionArn: failed.executionArn }),
    );
    const described = await cloud.clients.sfn.send(
      new DescribeMapRunCommand({ mapRunArn: mapRuns![0]!.mapRunArn }),
    );
    expect(described).toMatchObject({
      redriveCount: 1,
      itemCounts: expect.objectContaining({ total: 10, succeeded: 10 }),
    });
    // Only what did not succeed the first time ran again.
    expect(calls).toBe(10 - succeededBefore);
  });
});
