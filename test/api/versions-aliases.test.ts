import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineVersionCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { roleArn, startSfn, waitForExecution, type RunningSfn } from '../support/sfn-server.ts';

// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html and
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html
let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn();
});
afterAll(async () => {
  await sfn.close();
});

const returning = (result: string) =>
  JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
const outputOf = async (stateMachineArn: string) => {
  const { executionArn } = await sfn.client.send(new StartExecutionCommand({ stateMachineArn }));
  return waitForExecution(sfn.client, executionArn!);
};

describe('versions', () => {
  it('publishes revisions as numbered versions that run what was published', async () => {
    const created = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'versioned',
        definition: returning('one'),
        roleArn,
        publish: true,
        versionDescription: 'first',
      }),
    );
    const machineArn = created.stateMachineArn!;
    expect(created.stateMachineVersionArn).toBe(`${machineArn}:1`);
    // A version description without publish is refused, and changes nothing.
    await expect(
      sfn.client.send(
        new UpdateStateMachineCommand({
          stateMachineArn: machineArn,
          definition: returning('never'),
          versionDescription: 'unpublished',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    expect((await outputOf(machineArn)).output).toBe('"one"');

    // Publishing the same revision again is idempotent.
    const again = await sfn.client.send(
      new PublishStateMachineVersionCommand({ stateMachineArn: machineArn }),
    );
    expect(again.stateMachineVersionArn).toBe(`${machineArn}:1`);

    const updated = await sfn.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition: returning('two') }),
    );
    await expect(
      sfn.client.send(
        new PublishStateMachineVersionCommand({ stateMachineArn: machineArn, revisionId: 'stale' }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    const second = await sfn.client.send(
      new PublishStateMachineVersionCommand({
        stateMachineArn: machineArn,
        revisionId: updated.revisionId,
        description: 'second',
      }),
    );
    expect(second.stateMachineVersionArn).toBe(`${machineArn}:2`);

    const listed = await sfn.client.send(
      new ListStateMachineVersionsCommand({ stateMachineArn: machineArn }),
    );
    expect(listed.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([
      `${machineArn}:2`,
      `${machineArn}:1`,
    ]);
    const v1 = await sfn.client.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn}:1` }));
    expect(v1).toMatchObject({
      stateMachineArn: `${machineArn}:1`,
      definition: returning('one'),
      description: 'first',
    });

    const run = await outputOf(`${machineArn}:1`);
    expect(run.output).toBe('"one"');
    expect(run.stateMachineArn).toBe(machineArn);
    expect(run.stateMachineVersionArn).toBe(`${machineArn}:1`);
    expect(run.stateMachineAliasArn).toBeUndefined();
    expect((await outputOf(machineArn)).output).toBe('"two"');

    await sfn.client.send(
      new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${machineArn}:2` }),
    );
    await expect(outputOf(`${machineArn}:2`)).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    // A deleted version's number is not given again.
    await sfn.client.send(
      new UpdateStateMachineCommand({
        stateMachineArn: machineArn,
        definition: returning('three'),
        publish: true,
      }),
    );
    const after = await sfn.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn }));
    expect(after.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([
      `${machineArn}:3`,
      `${machineArn}:1`,
    ]);
  });
});

describe('aliases', () => {
  it('routes executions to versions by weight and says which alias and version ran', async () => {
    const created = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'aliased',
        definition: returning('blue'),
        roleArn,
        publish: true,
      }),
    );
    const machineArn = created.stateMachineArn!;
    const blue = created.stateMachineVersionArn!;
    const { stateMachineVersionArn: green } = await sfn.client.send(
      new UpdateStateMachineCommand({
        stateMachineArn: machineArn,
        definition: returning('green'),
        publish: true,
      }),
    );

    const { stateMachineAliasArn } = await sfn.client.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        description: 'what users run',
        routingConfiguration: [{ stateMachineVersionArn: blue, weight: 100 }],
      }),
    );
    expect(stateMachineAliasArn).toBe(`${machineArn}:live`);
    const run = await outputOf(stateMachineAliasArn!);
    expect(run).toMatchObject({
      output: '"blue"',
      stateMachineArn: machineArn,
      stateMachineVersionArn: blue,
      stateMachineAliasArn,
    });

    await sfn.client.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn,
        routingConfiguration: [
          { stateMachineVersionArn: blue, weight: 0 },
          { stateMachineVersionArn: green, weight: 100 },
        ],
      }),
    );
    expect((await outputOf(stateMachineAliasArn!)).output).toBe('"green"');
    // Listed by the alias or a version, only the executions started through it.
    const byAlias = await sfn.client.send(
      new ListExecutionsCommand({ stateMachineArn: stateMachineAliasArn }),
    );
    expect(byAlias.executions).toHaveLength(2);
    expect(byAlias.executions![0]).toMatchObject({ stateMachineAliasArn, stateMachineVersionArn: green });
    await outputOf(blue);
    const byBlue = await sfn.client.send(new ListExecutionsCommand({ stateMachineArn: blue }));
    expect(byBlue.executions).toHaveLength(2);
    const all = await sfn.client.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    expect(all.executions).toHaveLength(3);
    const described = await sfn.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn }));
    expect(described).toMatchObject({ name: 'live', description: 'what users run' });
    expect(described.updateDate).toBeInstanceOf(Date);

    const listed = await sfn.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: machineArn }));
    expect(listed.stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([stateMachineAliasArn]);

    // A version an alias routes to cannot be deleted.
    await expect(
      sfn.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: green })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    await sfn.client.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn }));
    await expect(
      sfn.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn })),
    ).rejects.toMatchObject({ name: 'ResourceNotFound' });
    await sfn.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: green }));
  });

  it('refuses weights that do not add up to 100 and versions that do not exist', async () => {
    const created = await sfn.client.send(
      new CreateStateMachineCommand({ name: 'weighted', definition: returning('x'), roleArn, publish: true }),
    );
    await expect(
      sfn.client.send(
        new CreateStateMachineAliasCommand({
          name: 'half',
          routingConfiguration: [{ stateMachineVersionArn: created.stateMachineVersionArn, weight: 50 }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      sfn.client.send(
        new CreateStateMachineAliasCommand({
          name: 'ghost',
          routingConfiguration: [{ stateMachineVersionArn: `${created.stateMachineArn}:9`, weight: 100 }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFound' });
  });

  it('keeps versions and aliases across a restart', async () => {
    const created = await sfn.client.send(
      new CreateStateMachineCommand({ name: 'kept', definition: returning('kept'), roleArn, publish: true }),
    );
    const { stateMachineAliasArn } = await sfn.client.send(
      new CreateStateMachineAliasCommand({
        name: 'prod',
        routingConfiguration: [{ stateMachineVersionArn: created.stateMachineVersionArn, weight: 100 }],
      }),
    );
    await sfn.stop();
    sfn = await startSfn({ dataDir: sfn.dataDir });
    const execution = await outputOf(stateMachineAliasArn!);
    expect(execution.output).toBe('"kept"');
    const described = await sfn.client.send(
      new DescribeExecutionCommand({ executionArn: execution.executionArn }),
    );
    expect(described.stateMachineVersionArn).toBe(created.stateMachineVersionArn);
  });
});
