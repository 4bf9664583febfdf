import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { roleArn, startSfn, type RunningSfn } from '../support/sfn-server.ts';

let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn();
});
afterAll(async () => {
  await sfn.close();
});

const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

describe('state machines through @aws-sdk/client-sfn', () => {
  it('creates, describes, updates, lists and deletes', async () => {
    const created = await sfn.client.send(
      new CreateStateMachineCommand({ name: 'crud', definition, roleArn }),
    );
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:crud');
    expect(created.creationDate).toBeInstanceOf(Date);

    const described = await sfn.client.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(described).toMatchObject({ name: 'crud', definition, type: 'STANDARD', status: 'ACTIVE' });

    const changed = JSON.stringify({ StartAt: 'Q', States: { Q: { Type: 'Succeed' } } });
    await sfn.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: changed }),
    );
    const after = await sfn.client.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(after.definition).toBe(changed);

    const listed = await sfn.client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toContain('crud');

    await sfn.client.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    await expect(
      sfn.client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })),
    ).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });

  it('is idempotent for the same definition and refuses a different one under the same name', async () => {
    const first = await sfn.client.send(new CreateStateMachineCommand({ name: 'same', definition, roleArn }));
    const again = await sfn.client.send(new CreateStateMachineCommand({ name: 'same', definition, roleArn }));
    expect(again.stateMachineArn).toBe(first.stateMachineArn);

    const other = JSON.stringify({ StartAt: 'Q', States: { Q: { Type: 'Succeed' } } });
    await expect(
      sfn.client.send(new CreateStateMachineCommand({ name: 'same', definition: other, roleArn })),
    ).rejects.toMatchObject({
      name: 'StateMachineAlreadyExists',
    });
  });

  it('refuses an invalid definition with a clear InvalidDefinition', async () => {
    const bad = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });

    await expect(
      sfn.client.send(new CreateStateMachineCommand({ name: 'bad', definition: bad, roleArn })),
    ).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining("Missing 'Next' target: Nowhere"),
    });
    await expect(
      sfn.client.send(new CreateStateMachineCommand({ name: 'bad', definition: '{not json', roleArn })),
    ).rejects.toMatchObject({
      name: 'InvalidDefinition',
    });
  });

  it('validates a definition without creating it', async () => {
    const ok = await sfn.client.send(new ValidateStateMachineDefinitionCommand({ definition }));
    expect(ok.result).toBe('OK');

    const bad = await sfn.client.send(
      new ValidateStateMachineDefinitionCommand({
        definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass' } } }),
      }),
    );
    expect(bad.result).toBe('FAIL');
    expect(bad.diagnostics?.[0]).toMatchObject({
      severity: 'ERROR',
      code: expect.any(String),
      message: expect.any(String),
    });
  });

  it('answers bad requests with AWS-shaped errors, never a crash', async () => {
    await expect(
      sfn.client.send(new CreateStateMachineCommand({ name: 'has space', definition, roleArn })),
    ).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(
      sfn.client.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })),
    ).rejects.toMatchObject({
      name: 'InvalidArn',
    });
    const response = await fetch(sfn.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AWSStepFunctions.NoSuchAction',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      __type: expect.stringContaining('UnknownOperationException'),
    });
    const garbage = await fetch(sfn.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSStepFunctions.CreateStateMachine' },
      body: '{oops',
    });
    expect(garbage.status).toBe(400);
  });

  it('pages ListStateMachines', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) {
      await sfn.client.send(new CreateStateMachineCommand({ name, definition, roleArn }));
    }
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.client.send(
        new ListStateMachinesCommand({ maxResults: 2, ...(nextToken ? { nextToken } : {}) }),
      );
      expect(page.stateMachines!.length).toBeLessThanOrEqual(2);
      names.push(...page.stateMachines!.map((m) => m.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
    expect(new Set(names).size).toBe(names.length);
  });
});
