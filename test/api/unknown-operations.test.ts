import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { startSfn, type RunningSfn } from '../support/sfn-server.ts';

let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn();
});
afterAll(async () => {
  await sfn.close();
});

// Issue 12: names that are keys of every JS object answered 500 "Cannot read properties of
// undefined (reading 'safeParse')". Whatever its name, an unknown operation is AWS's 400.
describe('an X-Amz-Target that is no Step Functions operation', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'NoSuchAction', ''])(
    'AWSStepFunctions.%s is UnknownOperationException',
    async (name) => {
      const response = await fetch(sfn.url, {
        method: 'POST',
        headers: { 'x-amz-target': `AWSStepFunctions.${name}`, 'content-type': 'application/x-amz-json-1.0' },
        body: '{}',
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
    },
  );

  it('leaves the API answering', async () => {
    const { stateMachines } = await sfn.client.send(new ListStateMachinesCommand({}));

    expect(stateMachines).toEqual([]);
  });
});
