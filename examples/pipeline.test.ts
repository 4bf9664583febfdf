import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  connectToCloud,
  connectToEmulator,
  deployStateMachine,
  runExecution,
  testState,
} from 'chute/testing';
import { datasetSubstitutions, readPipelineAsl, substitute } from '../workflow/definition.ts';

// How a user tests a state machine with Chute: single states with TestState and mocks, whole
// executions under a MockConfigFile test case (examples/pipeline-mocks.json). The emulator is
// started once for every file by examples/jest-global-setup.ts.

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const definition = substitute(readPipelineAsl(), {
  ...datasetSubstitutions(),
  BucketName: 'uploads',
  LedgerTable: 'ledger',
  DeadLetterFunctionArn: fn('dead-letter'),
  ValidateFunctionArn: fn('validate'),
  CleanFunctionArn: fn('clean'),
  TransformFunctionArn: fn('transform'),
  EnrichFunctionArn: fn('enrich'),
  LoadFunctionArn: fn('load'),
  NotifyFunctionArn: fn('notify'),
});

/** The S3 Object Created event (via EventBridge) that starts the pipeline. */
const upload = (key: string) => ({
  'detail-type': 'Object Created',
  source: 'aws.s3',
  detail: { bucket: { name: 'uploads' }, object: { key, etag: 'abc123', size: 42 } },
});

let sfn: SFNClient;
let stateMachineArn: string;
beforeAll(async () => {
  sfn = connectToEmulator();
  stateMachineArn = await deployStateMachine(sfn, { name: 'Pipeline', definition });
});
afterAll(() => sfn.destroy());

describe('routing a file (TestState on RouteFile)', () => {
  it.each([
    ['csv', 'orders', 'ProcessCsvRows'],
    ['json', 'customers', 'ProcessJsonRows'],
    ['jsonl', 'logs', 'ProcessJsonlRows'],
    ['csv', 'customers', 'RecordUnknownInput'],
    ['parquet', 'orders', 'RecordUnknownInput'],
  ])('a .%s file of %s goes to %s', async (format, dataset, next) => {
    const answer = await testState(sfn, {
      definition,
      stateName: 'RouteFile',
      variables: { format, dataset },
    });

    expect(answer).toMatchObject({ status: 'SUCCEEDED', nextState: next });
  });

  it('fails an input that is not an S3 event before touching the ledger', async () => {
    const answer = await testState(sfn, { definition, stateName: 'CheckInput', input: { hello: 'world' } });

    expect(answer).toMatchObject({ status: 'SUCCEEDED', nextState: 'RejectInvalidInput' });
  });
});

describe('claiming a file in the ledger (TestState on ClaimFile with a mocked DynamoDB)', () => {
  it('claims a new file and remembers its dataset and format for the routing', async () => {
    const answer = await testState(sfn, {
      definition,
      stateName: 'ClaimFile',
      input: upload('input/orders/2026-01.CSV'),
      mock: { result: {} },
      inspectionLevel: 'DEBUG',
    });

    expect(answer).toMatchObject({ status: 'SUCCEEDED', nextState: 'RouteFile' });
    expect(answer.inspectionData?.variables).toMatchObject({
      dataset: 'orders',
      format: 'csv',
      file: { id: 's3://uploads/input/orders/2026-01.CSV#abc123' },
    });
  });

  it('ends a duplicate event at AlreadyClaimed when the conditional put fails', async () => {
    const answer = await testState(sfn, {
      definition,
      stateName: 'ClaimFile',
      input: upload('input/orders/2026-01.csv'),
      mock: {
        errorOutput: {
          error: 'DynamoDB.ConditionalCheckFailedException',
          cause: 'The conditional request failed',
        },
      },
    });

    expect(answer).toMatchObject({
      status: 'CAUGHT_ERROR',
      nextState: 'AlreadyClaimed',
      error: 'DynamoDB.ConditionalCheckFailedException',
    });
  });
});

describe('whole executions under MockConfigFile test cases', () => {
  it('runs a CSV through the Distributed Map with every Lambda and the ledger mocked', async () => {
    // The Map reads the file from the local cloud's S3; the stages inside its children are mocked.
    const { s3 } = connectToCloud();
    await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'uploads',
        Key: 'input/orders/2026-02.csv',
        Body: 'order_id,amount\n1,10\n2,x\n3,30\n',
      }),
    );

    const run = await runExecution(sfn, {
      stateMachineArn,
      testCase: 'OrdersFile',
      input: upload('input/orders/2026-02.csv'),
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ loaded: 2, rejected: 1 });
    expect(run.statesEntered).toEqual([
      'CheckInput',
      'ClaimFile',
      'RouteFile',
      'ProcessCsvRows',
      'WasRedriven',
      'NotifyFile',
      'CloseLedger',
    ]);
    expect(run.history.map((e) => e.type)).toContain('MapRunSucceeded');
    s3.destroy();
  });

  it('records, notifies (retrying a throttled notify) and fails a file no dataset reads', async () => {
    const run = await runExecution(sfn, {
      stateMachineArn,
      testCase: 'UnknownDataset',
      input: upload('input/reports/2026-01.csv'),
    });

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('UnknownDatasetError');
    expect(run.cause).toBe('No dataset reports reads .csv files (key input/reports/2026-01.csv)');
    expect(run.statesEntered).toEqual([
      'CheckInput',
      'ClaimFile',
      'RouteFile',
      'RecordUnknownInput',
      'NotifyUnknownInput',
      'RejectUnknownInput',
    ]);
    const notifyAttempts = run.history.filter((e) => e.taskScheduledEventDetails?.resource === 'invoke');
    expect(notifyAttempts).toHaveLength(2);
  });

  it('does nothing twice for a duplicate event', async () => {
    const run = await runExecution(sfn, {
      stateMachineArn,
      testCase: 'DuplicateEvent',
      input: upload('input/orders/2026-01.csv'),
    });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(['CheckInput', 'ClaimFile', 'AlreadyClaimed']);
  });
});
