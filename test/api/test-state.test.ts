import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestStateCommand, type TestStateCommandInput } from '@aws-sdk/client-sfn';
import type { TaskRequest, TaskRunner } from '../../local/engine/ports.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { awsCliEnv } from '../support/aws-cli.ts';
import { roleArn, startSfn, type RunningSfn } from '../support/sfn-server.ts';

// TestState as AWS answers it: https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
// and https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html. Messages and
// shapes marked "recorded" are AWS's answers in LocalStack's recordings of real AWS
// (github.com/localstack/localstack, tests/aws/services/stepfunctions/v2/test_state/*.snapshot.json).

const calls: TaskRequest[] = [];
// The local cloud's port for Task resources: TestState without a mock goes through it.
const taskRunner: TaskRunner = {
  async run(request) {
    calls.push(request);
    const { Payload } = request.parameters as { Payload: { n: number } };
    return { Payload: { doubled: Payload.n * 2 }, StatusCode: 200 };
  },
};

let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn({ taskRunner });
});
afterAll(async () => {
  await sfn.close();
});

const send = (input: TestStateCommandInput) => sfn.client.send(new TestStateCommand(input));
const json = (text: string | undefined) => (text === undefined ? undefined : JSON.parse(text));
const refusal = (input: TestStateCommandInput) =>
  send(input).then(
    () => undefined,
    (error: Error) => ({ name: error.name, message: error.message }),
  );

const lambdaTask = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  InputPath: '$.order',
  Parameters: { FunctionName: 'double', 'Payload.$': '$' },
  ResultSelector: { 'doubled.$': '$.Payload.doubled' },
  ResultPath: '$.result',
  OutputPath: '$.result',
  Next: 'Store',
};

describe('TestState: one state, each status', () => {
  it('SUCCEEDED: a Pass state gives its output and next state, and INFO gives no inspection data', async () => {
    const response = await send({
      definition: JSON.stringify({ Type: 'Pass', Result: { ok: true }, ResultPath: '$.pass', Next: 'After' }),
      roleArn,
      input: JSON.stringify({ a: 1 }),
    });
    expect(response.status).toBe('SUCCEEDED');
    expect(json(response.output)).toEqual({ a: 1, pass: { ok: true } });
    expect(response.nextState).toBe('After');
    expect(response.inspectionData).toBeUndefined();
  });

  it('FAILED: a mocked error with no Retry or Catch fails the state with its error and cause', async () => {
    const response = await send({
      definition: JSON.stringify({ ...lambdaTask, Next: undefined, End: true }),
      input: JSON.stringify({ order: { n: 1 } }),
      mock: { errorOutput: { error: 'Lambda.ServiceException', cause: 'boom' } },
    });
    expect(response).toMatchObject({ status: 'FAILED', error: 'Lambda.ServiceException', cause: 'boom' });
    expect(response.output).toBeUndefined();
    expect(response.nextState).toBeUndefined();
  });

  it('FAILED: a Fail state reports its Error and Cause', async () => {
    const response = await send({
      definition: JSON.stringify({ Type: 'Fail', Error: 'Custom.Error', Cause: 'said so' }),
      roleArn,
    });
    expect(response).toMatchObject({ status: 'FAILED', error: 'Custom.Error', cause: 'said so' });
  });

  const retrying = {
    ...lambdaTask,
    Retry: [
      { ErrorEquals: ['States.Timeout'], MaxAttempts: 1 },
      { ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 },
    ],
    Catch: [
      { ErrorEquals: ['Other'], Next: 'Nowhere' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recover' },
    ],
  };

  it('RETRIABLE: a retrier with attempts left reports its index and backoff (retrierRetryCount retries made)', async () => {
    const response = await send({
      definition: JSON.stringify(retrying),
      input: JSON.stringify({ order: { n: 1 } }),
      inspectionLevel: 'DEBUG',
      mock: { errorOutput: { error: 'Lambda.ServiceException', cause: 'try again' } },
      stateConfiguration: { retrierRetryCount: 1 },
    });
    expect(response).toMatchObject({
      status: 'RETRIABLE',
      error: 'Lambda.ServiceException',
      cause: 'try again',
    });
    expect(response.output).toBeUndefined();
    // 2 s × 3^1: the backoff before the second retry.
    expect(response.inspectionData?.errorDetails).toEqual({ retryIndex: 1, retryBackoffIntervalSeconds: 6 });
  });

  it('CAUGHT_ERROR: once the retrier has used its attempts, the Catch gives the output and next state', async () => {
    const response = await send({
      definition: JSON.stringify(retrying),
      input: JSON.stringify({ order: { n: 1 } }),
      inspectionLevel: 'DEBUG',
      mock: { errorOutput: { error: 'Lambda.ServiceException', cause: 'gave up' } },
      stateConfiguration: { retrierRetryCount: 2 },
    });
    expect(response).toMatchObject({
      status: 'CAUGHT_ERROR',
      error: 'Lambda.ServiceException',
      cause: 'gave up',
      nextState: 'Recover',
    });
    expect(json(response.output)).toEqual({
      order: { n: 1 },
      error: { Error: 'Lambda.ServiceException', Cause: 'gave up' },
    });
    expect(response.inspectionData?.errorDetails).toEqual({ catchIndex: 1 });
  });
});

describe('TestState: inspection levels', () => {
  const request = {
    definition: JSON.stringify(lambdaTask),
    input: JSON.stringify({ order: { n: 21 }, keep: true }),
    mock: { result: JSON.stringify({ StatusCode: 200, Payload: { doubled: 42 } }) },
  };

  it.each(['DEBUG', 'TRACE'] as const)('%s: every step of the input and output processing', async (level) => {
    const response = await send({ ...request, inspectionLevel: level });
    expect(response.status).toBe('SUCCEEDED');
    expect(response.nextState).toBe('Store');
    expect(json(response.output)).toEqual({ doubled: 42 });
    const data = response.inspectionData!;
    expect(json(data.input)).toEqual({ order: { n: 21 }, keep: true });
    expect(json(data.afterInputPath)).toEqual({ n: 21 });
    expect(json(data.afterParameters)).toEqual({ FunctionName: 'double', Payload: { n: 21 } });
    expect(json(data.result)).toEqual({ StatusCode: 200, Payload: { doubled: 42 } });
    expect(json(data.afterResultSelector)).toEqual({ doubled: 42 });
    expect(json(data.afterResultPath)).toEqual({ order: { n: 21 }, keep: true, result: { doubled: 42 } });
  });

  it('INFO: status, output and next state only', async () => {
    const response = await send({ ...request, inspectionLevel: 'INFO' });
    expect(response.status).toBe('SUCCEEDED');
    expect(response.inspectionData).toBeUndefined();
  });
});

describe('TestState: variables, JSONata, context, a Choice in a whole machine', () => {
  it('reads the given variables and reports them with what the state assigned', async () => {
    const response = await send({
      definition: JSON.stringify({
        Type: 'Task',
        QueryLanguage: 'JSONata',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'double', Payload: { n: '{% $states.input.n * $factor %}' } },
        Assign: { last: '{% $states.result.Payload.doubled %}' },
        Output: '{% $states.result.Payload %}',
        End: true,
      }),
      input: JSON.stringify({ n: 5 }),
      variables: JSON.stringify({ factor: 3 }),
      inspectionLevel: 'DEBUG',
      mock: { result: JSON.stringify({ StatusCode: 200, Payload: { doubled: 30 } }) },
    });
    expect(response.status).toBe('SUCCEEDED');
    expect(json(response.output)).toEqual({ doubled: 30 });
    expect(json(response.inspectionData?.afterArguments)).toEqual({
      FunctionName: 'double',
      Payload: { n: 15 },
    });
    expect(json(response.inspectionData?.variables)).toEqual({ factor: 3, last: 30 });
  });

  it('lays the given context over $$ when a mock is given', async () => {
    const response = await send({
      definition: JSON.stringify({
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          'token.$': '$$.Task.Token',
          'execution.$': '$$.Execution.Id',
          'state.$': '$$.State.Name',
        },
        ResultPath: null,
        OutputPath: '$',
        End: true,
      }),
      context: JSON.stringify({ Task: { Token: 'token-1' }, Execution: { Id: 'arn:given' } }),
      inspectionLevel: 'DEBUG',
      mock: { result: '{}' },
    });
    expect(json(response.inspectionData?.afterParameters)).toEqual({
      token: 'token-1',
      execution: 'arn:given',
      state: 'StateName',
    });
  });

  it("tests one state of a whole machine by stateName: a Choice's next state", async () => {
    const definition = JSON.stringify({
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.kind', StringEquals: 'csv', Next: 'ReadCsv' },
            { Variable: '$.kind', StringEquals: 'json', Next: 'ReadJson' },
          ],
          Default: 'Unknown',
        },
        ReadCsv: { Type: 'Pass', End: true },
        ReadJson: { Type: 'Pass', End: true },
        Unknown: { Type: 'Fail', Error: 'Unknown' },
      },
    });
    const route = (kind: string) =>
      send({ definition, stateName: 'Route', roleArn, input: JSON.stringify({ kind }) });
    expect((await route('json')).nextState).toBe('ReadJson');
    expect((await route('csv')).nextState).toBe('ReadCsv');
    const other = await route('xml');
    expect(other).toMatchObject({ status: 'SUCCEEDED', nextState: 'Unknown' });
    expect(json(other.output)).toEqual({ kind: 'xml' });
  });
});

describe('TestState: integrations and mocks', () => {
  it('calls the integration through the task runner when no mock is given', async () => {
    calls.length = 0;
    const response = await send({
      definition: JSON.stringify({ ...lambdaTask, OutputPath: '$' }),
      roleArn,
      input: JSON.stringify({ order: { n: 4 } }),
    });
    expect(calls.map((call) => [call.resource, call.parameters])).toEqual([
      ['arn:aws:states:::lambda:invoke', { FunctionName: 'double', Payload: { n: 4 } }],
    ]);
    expect(json(response.output)).toEqual({ order: { n: 4 }, result: { doubled: 8 } });
  });

  it('checks a mocked result against the API output under STRICT (the default) and PRESENT, not NONE', async () => {
    const startExecution = JSON.stringify({
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:x' },
      End: true,
    });
    const lambda = JSON.stringify({ ...lambdaTask, ResultSelector: undefined, OutputPath: undefined });
    // Recorded: AWS's messages for a missing required field and for a wrong type.
    expect(
      await refusal({ definition: startExecution, mock: { result: '{"StartDate":"2025-01-01"}' } }),
    ).toEqual({
      name: 'ValidationException',
      message: "Mock result schema validation error: Required field 'ExecutionArn' is missing",
    });
    expect(
      await refusal({
        definition: lambda,
        input: '{"order":{}}',
        mock: { result: '{"StatusCode":"200"}', fieldValidationMode: 'PRESENT' },
      }),
    ).toEqual({
      name: 'ValidationException',
      message: "Mock result schema validation error: Field 'StatusCode' must be a number",
    });
    const present = await send({
      definition: startExecution,
      mock: { result: '{"StartDate":"2025-01-01"}', fieldValidationMode: 'PRESENT' },
    });
    expect(present.status).toBe('SUCCEEDED');
    const none = await send({
      definition: lambda,
      input: '{"order":{}}',
      mock: { result: '{"StatusCode":"200"}', fieldValidationMode: 'NONE' },
    });
    expect(json(none.output)).toEqual({ order: {}, result: { StatusCode: '200' } });
  });

  it('a mocked Map: its item processing is inspected and mapIterationFailureCount past the tolerance is caught', async () => {
    const map = JSON.stringify({
      Type: 'Map',
      ItemsPath: '$.rows',
      ItemSelector: { 'row.$': '$$.Map.Item.Value', 'at.$': '$$.Map.Item.Index' },
      ToleratedFailureCount: 1,
      ItemProcessor: { StartAt: 'Load', States: { Load: { Type: 'Pass', End: true } } },
      Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'TooMany' }],
      Next: 'Done',
    });
    const input = JSON.stringify({ rows: ['a', 'b', 'c'] });
    const below = await send({
      definition: map,
      input,
      inspectionLevel: 'DEBUG',
      mock: { result: '[1,2,3]' },
      stateConfiguration: { mapIterationFailureCount: 1 },
    });
    expect(below).toMatchObject({ status: 'SUCCEEDED', nextState: 'Done' });
    expect(json(below.output)).toEqual([1, 2, 3]);
    const data = below.inspectionData!;
    expect(json(data.afterItemsPath)).toEqual(['a', 'b', 'c']);
    expect(json(data.afterItemSelector)).toEqual([
      { row: 'a', at: 0 },
      { row: 'b', at: 1 },
      { row: 'c', at: 2 },
    ]);
    expect([data.maxConcurrency, data.toleratedFailureCount]).toEqual([0, 1]);
    const above = await send({
      definition: map,
      input,
      inspectionLevel: 'DEBUG',
      mock: { result: '[1,2,3]' },
      stateConfiguration: { mapIterationFailureCount: 2 },
    });
    // Recorded: AWS's error and cause for a tolerance exceeded in TestState.
    expect(above).toMatchObject({
      status: 'CAUGHT_ERROR',
      error: 'States.ExceedToleratedFailureThreshold',
      cause: 'The specified tolerated failure threshold was exceeded',
      nextState: 'TooMany',
    });
    expect(above.inspectionData?.errorDetails).toEqual({ catchIndex: 0 });
  });
});

describe("TestState: AWS's validation errors (recorded)", () => {
  const task = JSON.stringify({ ...lambdaTask, End: true, Next: undefined });
  it.each([
    [
      'both a result and an errorOutput',
      { definition: task, mock: { result: '{}', errorOutput: { error: 'E' } } },
      'ValidationException',
      'A test mock should have only one of the following fields: [result, errorOutput].',
    ],
    [
      'a mock for a Pass state',
      { definition: JSON.stringify({ Type: 'Pass', End: true }), mock: { result: '{}' } },
      'ValidationException',
      "State type 'Pass' is not supported when a mock is specified",
    ],
    [
      'revealSecrets with a mock',
      { definition: task, revealSecrets: true, mock: { result: '{}' } },
      'ValidationException',
      'TestState does not support RevealSecrets when a mock is specified.',
    ],
    [
      'a Map without a mock',
      {
        definition: JSON.stringify({
          Type: 'Map',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        }),
        roleArn,
      },
      'InvalidDefinition',
      'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
    ],
    [
      'a Parallel mock with the wrong number of branches',
      {
        definition: JSON.stringify({
          Type: 'Parallel',
          Branches: [{ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }],
          End: true,
        }),
        mock: { result: '[1,2]' },
      },
      'ValidationException',
      'Mocked result must contain the same number of items as number of Parallel branches.',
    ],
  ])('refuses %s', async (_what, input, name, message) => {
    expect(await refusal(input as TestStateCommandInput)).toEqual({ name, message });
  });

  it('refuses a definition that is not valid ASL', async () => {
    const refused = await refusal({ definition: '{"Type":"Pass"', roleArn });
    expect(refused?.name).toBe('InvalidDefinition');
  });
});

describe('TestState through the AWS CLI', () => {
  it('aws stepfunctions test-state answers with the mocked error caught', async () => {
    // TestState is served on a `sync-` host prefix, which cannot resolve on 127.0.0.1.
    const { stdout } = await promisify(execFile)(
      'aws',
      [
        '--endpoint-url',
        sfn.url,
        '--output',
        'json',
        'stepfunctions',
        'test-state',
        '--definition',
        JSON.stringify({
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'f' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }],
          End: true,
        }),
        '--mock',
        JSON.stringify({ errorOutput: { error: 'Boom', cause: 'bad' } }),
        '--inspection-level',
        'DEBUG',
      ],
      { env: { ...awsCliEnv, AWS_DISABLE_HOST_PREFIX_INJECTION: 'true' } },
    );
    const response = JSON.parse(stdout);
    expect(response).toMatchObject({
      status: 'CAUGHT_ERROR',
      error: 'Boom',
      cause: 'bad',
      nextState: 'Handle',
    });
    expect(JSON.parse(response.output)).toEqual({ Error: 'Boom', Cause: 'bad' });
    expect(response.inspectionData.errorDetails).toEqual({ catchIndex: 0 });
  });
});
