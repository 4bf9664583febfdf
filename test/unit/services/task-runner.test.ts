import { describe, expect, it } from '@jest/globals';
import { StatesError } from '../../../local/engine/errors.ts';
import type { TaskRequest } from '../../../local/engine/ports.ts';
import { functionError, functionNameOf } from '../../../local/services/lambda-runner.ts';
import { parseMockConfig } from '../../../local/services/mock-config.ts';
import { createTaskRunner } from '../../../local/services/task-runner.ts';

const request = (
  resource: string,
  parameters: unknown,
  extra: Partial<TaskRequest['context']> = {},
): TaskRequest => ({
  resource,
  parameters,
  context: {
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Pipeline:e1',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Pipeline',
    stateName: 'Load',
    attempt: 0,
    ...extra,
  },
  signal: new AbortController().signal,
});

class TransientError extends Error {
  override readonly name = 'TransientError';
}

describe('lambda tasks', () => {
  const runner = createTaskRunner({
    lambdaHandlers: {
      echo: async (event, context) => ({ event, fn: context.functionName }),
      broken: async () => {
        throw new TransientError('database unavailable');
      },
    },
  });

  it('runs an in-process handler for a function ARN with the payload as its event', async () => {
    await expect(
      runner.run(request('arn:aws:lambda:us-east-1:000000000000:function:echo', { a: 1 })),
    ).resolves.toEqual({
      event: { a: 1 },
      fn: 'echo',
    });
  });

  it('wraps lambda:invoke results in the Payload envelope', async () => {
    const result = await runner.run(
      request('arn:aws:states:::lambda:invoke', { FunctionName: 'echo', Payload: { b: 2 } }),
    );
    expect(result).toMatchObject({
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      Payload: { event: { b: 2 }, fn: 'echo' },
    });
  });

  it("reports a thrown error as AWS does: the error's name, and the runtime's JSON as cause", async () => {
    const failure = (await runner
      .run(request('arn:aws:states:::lambda:invoke', { FunctionName: 'broken' }))
      .catch((e) => e)) as StatesError;
    expect(failure).toBeInstanceOf(StatesError);
    expect(failure.error).toBe('TransientError');
    expect(JSON.parse(failure.causeText!)).toMatchObject({
      errorMessage: 'database unavailable',
      errorType: 'TransientError',
      stackTrace: expect.any(Array),
    });
  });

  it('names an unknown function Lambda.ResourceNotFoundException', async () => {
    await expect(
      runner.run(request('arn:aws:lambda:us-east-1:000000000000:function:nope', {})),
    ).rejects.toMatchObject({
      error: 'Lambda.ResourceNotFoundException',
    });
  });

  it.each([
    ['arn:aws:lambda:us-east-1:123:function:validate', 'validate'],
    ['arn:aws:lambda:us-east-1:123:function:validate:live', 'validate'],
    ['validate', 'validate'],
  ])('function name of %s is %s', (arn, name) => expect(functionNameOf(arn)).toBe(name));

  it('keeps a plain Error as Error', () => expect(functionError(new Error('x')).error).toBe('Error'));
});

describe("Step Functions Local's mock config", () => {
  const config = parseMockConfig(
    JSON.stringify({
      StateMachines: { Pipeline: { TestCases: { DatabaseDown: { Load: 'LoadFailsThenWorks' } } } },
      MockedResponses: {
        LoadFailsThenWorks: {
          '0-1': { Throw: { Error: 'TransientError', Cause: 'down' } },
          '2': { Return: { loaded: 100 } },
        },
      },
    }),
  );
  const runner = createTaskRunner({ mockConfig: config, lambdaHandlers: { load: async () => 'real' } });
  const load = (attempt: number, testCase?: string) =>
    runner.run(
      request(
        'arn:aws:lambda:us-east-1:000000000000:function:load',
        {},
        { attempt, ...(testCase ? { testCase } : {}) },
      ),
    );

  it('answers by attempt: throws for "0-1", returns for "2"', async () => {
    await expect(load(0, 'DatabaseDown')).rejects.toMatchObject({
      error: 'TransientError',
      causeText: 'down',
    });
    await expect(load(1, 'DatabaseDown')).rejects.toMatchObject({ error: 'TransientError' });
    await expect(load(2, 'DatabaseDown')).resolves.toEqual({ loaded: 100 });
  });

  it("mocks the states of a Distributed Map's children (machine NAME/Label) under NAME", async () => {
    const child = runner.run(
      request(
        'arn:aws:lambda:us-east-1:000000000000:function:load',
        {},
        {
          attempt: 2,
          testCase: 'DatabaseDown',
          stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Pipeline/CsvRows',
        },
      ),
    );

    await expect(child).resolves.toEqual({ loaded: 100 });
  });

  it('runs the real task when the execution has no test case', async () => {
    await expect(load(0)).resolves.toBe('real');
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    [
      'a bad attempt key',
      JSON.stringify({ StateMachines: {}, MockedResponses: { R: { first: { Return: 1 } } } }),
      /attempt numbers/,
    ],
    [
      'an unknown response',
      JSON.stringify({ StateMachines: { M: { TestCases: { T: { S: 'Missing' } } } }, MockedResponses: {} }),
      /unknown response 'Missing'/,
    ],
  ])('refuses %s with a clear message', (_case, text, message) => {
    expect(() => parseMockConfig(text)).toThrow(message);
  });
});
