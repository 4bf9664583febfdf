import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { deployStateMachine, readAsl, startEmulator, type RunningEmulator } from 'chute/testing';

const pass = (result: string) => ({
  StartAt: 'P',
  States: { P: { Type: 'Pass', Result: result, End: true } },
});

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

describe('chute/testing', () => {
  it('deploys a machine again under the same ARN with the new definition', async () => {
    const first = await deployStateMachine(emulator.client, { name: 'Redeployed', definition: pass('one') });
    const second = await deployStateMachine(emulator.client, { name: 'Redeployed', definition: pass('two') });

    expect(second).toBe(first);
    const described = await emulator.client.send(new DescribeStateMachineCommand({ stateMachineArn: first }));
    expect(JSON.parse(described.definition!)).toEqual(pass('two'));
  });

  it('refuses an ASL file whose placeholders are not all given', () => {
    expect(() =>
      readAsl(new URL('../../asl/pipeline.asl.json', import.meta.url), { BucketName: 'b' }),
    ).toThrow(/missing values for .*LedgerTable/);
  });
});
