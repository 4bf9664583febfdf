import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { readPipelineAsl } from '../../../workflow/definition.ts';

// dynalite ships no types: it returns a plain http.Server.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: Record<string, unknown>) => Server;

/** ClaimBatchFile's put, with its JSONata fields given for one file and one claim. */
const claimState = JSON.parse(readPipelineAsl()).States.ProcessFileBatch.ItemProcessor.States.LoadFiles
  .ItemProcessor.States.ClaimBatchFile.Arguments as {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, AttributeValue>;
};

describe("ClaimBatchFile's condition, on DynamoDB (dynalite)", () => {
  let server: Server;
  let client: DynamoDBClient;
  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await client.send(
      new CreateTableCommand({
        TableName: 'ledger',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    client?.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  let n = 0;
  /** Puts an existing ledger item (or none), then claims the file as ClaimBatchFile does. */
  async function claims(existing: Record<string, string> | undefined, claim: string): Promise<boolean> {
    const pk = `s3://b/input/orders/${n++}.csv#e`;
    if (existing) {
      const item = Object.fromEntries(Object.entries(existing).map(([k, v]) => [k, { S: v }]));
      await client.send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: pk }, ...item } }));
    }
    try {
      await client.send(
        new PutItemCommand({
          TableName: 'ledger',
          Item: { pk: { S: pk }, status: { S: 'RUNNING' }, claim: { S: claim } },
          ConditionExpression: claimState.ConditionExpression,
          ExpressionAttributeNames: claimState.ExpressionAttributeNames,
          ExpressionAttributeValues: { ...claimState.ExpressionAttributeValues, ':claim': { S: claim } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  it.each([
    ['a file nobody claimed', undefined, true],
    [
      'its own claim, still RUNNING (a child that crashed, redriven)',
      { status: 'RUNNING', claim: 'x#1' },
      true,
    ],
    ['its own claim, FAILED (a failed file, redriven)', { status: 'FAILED', claim: 'x#1' }, true],
    ['its own claim, SUCCEEDED (finished before the redrive)', { status: 'SUCCEEDED', claim: 'x#1' }, false],
    [
      'its own claim, REJECTED (an unknown dataset, already notified)',
      { status: 'REJECTED', claim: 'x#1' },
      false,
    ],
    ['another record of the same file (a duplicate event)', { status: 'RUNNING', claim: 'x#0' }, false],
    ['another batch’s FAILED file (its own redrive finishes it)', { status: 'FAILED', claim: 'y#4' }, false],
    ['a big file’s own execution (no claim)', { status: 'RUNNING' }, false],
  ])('%s', async (_, existing, expected) => {
    expect(await claims(existing, 'x#1')).toBe(expected);
  });
});
