import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sfn';
import { roleArn, startSfn, type RunningSfn } from '../support/sfn-server.ts';

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_TagResource.html
let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn();
});
afterAll(async () => {
  await sfn.close();
});

const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const tagsOf = async (resourceArn: string) =>
  (await sfn.client.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

describe('tags through @aws-sdk/client-sfn', () => {
  it('keeps the tags given at creation, adds, replaces and removes them', async () => {
    const { stateMachineArn } = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'tagged',
        definition,
        roleArn,
        tags: [{ key: 'team', value: 'data' }],
      }),
    );
    expect(await tagsOf(stateMachineArn!)).toEqual([{ key: 'team', value: 'data' }]);
    await sfn.client.send(
      new TagResourceCommand({
        resourceArn: stateMachineArn,
        tags: [
          { key: 'team', value: 'ingest' },
          { key: 'stage', value: 'dev' },
        ],
      }),
    );
    expect(await tagsOf(stateMachineArn!)).toEqual([
      { key: 'team', value: 'ingest' },
      { key: 'stage', value: 'dev' },
    ]);
    await sfn.client.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ['team'] }));
    expect(await tagsOf(stateMachineArn!)).toEqual([{ key: 'stage', value: 'dev' }]);
  });

  it('answers ResourceNotFound for a machine that does not exist and InvalidArn for a malformed ARN', async () => {
    await expect(tagsOf('arn:aws:states:us-east-1:000000000000:stateMachine:missing')).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
    await expect(tagsOf('not-an-arn')).rejects.toMatchObject({ name: 'InvalidArn' });
  });

  it('refuses more than 50 tags with TooManyTags naming the resource', async () => {
    const { stateMachineArn } = await sfn.client.send(
      new CreateStateMachineCommand({ name: 'crowded', definition, roleArn }),
    );
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expect(
      sfn.client.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags })),
    ).rejects.toMatchObject({ name: 'TooManyTags', resourceName: stateMachineArn });
    await expect(
      sfn.client.send(new CreateStateMachineCommand({ name: 'overtagged', definition, roleArn, tags })),
    ).rejects.toMatchObject({ name: 'TooManyTags' });
    expect(await tagsOf(stateMachineArn!)).toEqual([]);
  });
});
