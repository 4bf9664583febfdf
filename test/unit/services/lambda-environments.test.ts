import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from '@jest/globals';
import { StatesError } from '../../../local/engine/errors.ts';
import { LambdaEnvironments } from '../../../local/services/lambda-environments.ts';
import { createLambdaRunner } from '../../../local/services/lambda-runner.ts';

const code = new URL('../../support/functions/echo-thread.ts', import.meta.url);
const environments = new LambdaEnvironments({ size: 2, env: { CHUTE_TEST_SETTING: 'from the config' } });
const runner = createLambdaRunner({
  handlers: {
    echo: environments.function(code),
    broken: environments.function(code, 'notAFunction'),
    exits: environments.function(code, 'exits'),
  },
});

afterAll(() => environments.close());

describe('Lambda execution environments (worker threads)', () => {
  it('runs the handler on another thread, with its configured environment, on a copy of the event', async () => {
    const event = { items: [1, 2], mutate: true };

    const result = (await runner.invoke('echo', event)).payload as {
      threadId: number;
      event: typeof event;
      env: string;
    };

    expect(result.threadId).not.toBe(threadId);
    expect(result.env).toBe('from the config');
    expect(result.event.items).toEqual([1, 2, 'changed by the function']);
    expect(event.items).toEqual([1, 2]);
  });

  it('spreads concurrent invocations over the environments', async () => {
    const results = (await Promise.all(
      Array.from({ length: 8 }, async () => (await runner.invoke('echo', {})).payload),
    )) as {
      threadId: number;
    }[];

    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
  });

  it('reports a thrown error under its name, with the runtime JSON as the cause', async () => {
    const failure = await runner.invoke('echo', { fail: 'TransientError' }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(StatesError);
    expect((failure as StatesError).error).toBe('TransientError');
    expect(JSON.parse((failure as StatesError).causeText!)).toMatchObject({
      errorType: 'TransientError',
      errorMessage: 'asked to fail: TransientError',
    });
  });

  it('fails clearly when the module has no such handler', async () => {
    const failure = await runner.invoke('broken', {}).catch((e: unknown) => e);

    expect((failure as StatesError).causeText).toMatch(/exports no function notAFunction/);
  });

  it('fails an invocation whose environment dies with Runtime.ExitError, and goes on with a new one', async () => {
    const failure = await runner.invoke('exits', {}).catch((e: unknown) => e);

    expect((failure as StatesError).error).toBe('Runtime.ExitError');
    expect((await runner.invoke('echo', { items: [] })).payload).toMatchObject({ event: { items: [] } });
  });
});
