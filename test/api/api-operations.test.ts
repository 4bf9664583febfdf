import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as sfnClient from '@aws-sdk/client-sfn';
import { startSfn, type RunningSfn } from '../support/sfn-server.ts';

/** README, and its table of every Step Functions operation: operation → served or not. */
function readmeOperations(): { readme: string; rows: Map<string, boolean> } {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('#### Every operation of the Step Functions API'));
  const table = section.slice(0, section.indexOf('\n#'));
  const rows = new Map<string, boolean>();
  for (const match of table.matchAll(/^\|[^|]*\|\s*([A-Za-z]+)\s*\|\s*(yes|no)\b/gm))
    rows.set(match[1]!, match[2] === 'yes');
  return { readme, rows };
}

// The SDK's commands are the API's operations (every `XxxCommand` the client exports).
const sdkOperations = Object.keys(sfnClient)
  .filter((name) => /^[A-Z]\w+Command$/.test(name))
  .map((name) => name.slice(0, -'Command'.length))
  .sort();

let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn();
});
afterAll(async () => {
  await sfn.close();
});

describe("README's list of every Step Functions operation", () => {
  const { readme, rows } = readmeOperations();

  it('names every operation of @aws-sdk/client-sfn, and no other', () => {
    expect([...rows.keys()].sort()).toEqual(sdkOperations);
  });

  it('says how many are served, as the table does', () => {
    const served = [...rows.values()].filter(Boolean).length;
    expect(readme).toContain(`${served} of the ${rows.size} operations of the Step Functions API`);
  });

  it.each(sdkOperations)('%s is served exactly when the table says so', async (operation) => {
    const response = await fetch(sfn.url, {
      method: 'POST',
      headers: {
        'x-amz-target': `AWSStepFunctions.${operation}`,
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{}',
    });
    const body = (await response.json()) as { __type?: string };
    const unknown = body.__type === 'com.amazon.coral.service#UnknownOperationException';
    expect({ operation, served: !unknown }).toEqual({ operation, served: rows.get(operation) });
  });
});
