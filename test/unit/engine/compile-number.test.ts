import { describe, expect, it } from '@jest/globals';
import type { CompiledState } from '../../../local/engine/compile/compiled-machine.ts';
import { compileNumber } from '../../../local/engine/compile/compile-number.ts';
import { StatesError } from '../../../local/engine/errors.ts';
import type { Frame, StateContext } from '../../../local/engine/frame.ts';
import { History } from '../../../local/engine/history.ts';

/** The state a number field is read in: its raw input and the variables in scope. */
function stateWith(rawInput: unknown, variables: Record<string, unknown> = {}): StateContext {
  const frame = {
    variables,
    history: new History(() => {}, { now: () => new Date(0), sleep: async () => {} }),
  };
  return {
    name: 'M',
    state: {} as CompiledState,
    rawInput,
    queryLanguage: 'JSONPath',
    frame: frame as unknown as Frame, // only variables and history are read by number fields
    entered: new Date(0),
    enteredEventId: 2,
    retryCount: 0,
    lastEventId: 2,
  };
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  const thrown = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(StatesError);
  return (thrown as StatesError).error;
}

// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html: tolerated failures
// as a count or a percentage (0–100, fractions allowed), each also as a …Path; JSONata expressions.
describe('a number field read when its state runs', () => {
  it('takes a literal, a path into the input or a variable, and a JSONata expression', async () => {
    await expect(compileNumber('MaxItemsPerBatch', 7, undefined, 'JSONPath')(stateWith({}))).resolves.toBe(7);
    await expect(
      compileNumber('MaxItemsPerBatch', undefined, '$.size', 'JSONPath')(stateWith({ size: 9 })),
    ).resolves.toBe(9);
    await expect(
      compileNumber('MaxItems', undefined, '$limit', 'JSONPath')(stateWith({}, { limit: 4 })),
    ).resolves.toBe(4);
    await expect(
      compileNumber('MaxItems', '{% $limit * 2 %}', undefined, 'JSONata')(stateWith({}, { limit: 4 })),
    ).resolves.toBe(8);
    await expect(
      compileNumber('MaxItems', undefined, undefined, 'JSONPath')(stateWith({})),
    ).resolves.toBeUndefined();
  });

  it('accepts a fractional percentage and refuses one over 100 when the state runs', async () => {
    const percentage = compileNumber('ToleratedFailurePercentage', undefined, '$.p', 'JSONPath', {
      min: 0,
      max: 100,
    });
    await expect(percentage(stateWith({ p: 12.5 }))).resolves.toBe(12.5);
    expect(await errorOf(percentage(stateWith({ p: 101 })))).toBe('States.Runtime');
  });

  it('refuses a negative or fractional count: States.Runtime from a path, QueryEvaluationError from JSONata', async () => {
    const rule = { min: 0, integer: true };
    expect(
      await errorOf(
        compileNumber('ToleratedFailureCount', undefined, '$.c', 'JSONPath', rule)(stateWith({ c: -1 })),
      ),
    ).toBe('States.Runtime');
    expect(
      await errorOf(
        compileNumber('ToleratedFailureCount', undefined, '$.c', 'JSONPath', rule)(stateWith({ c: 1.5 })),
      ),
    ).toBe('States.Runtime');
    expect(
      await errorOf(
        compileNumber('ToleratedFailureCount', '{% -1 %}', undefined, 'JSONata', rule)(stateWith({})),
      ),
    ).toBe('States.QueryEvaluationError');
    expect(
      await errorOf(compileNumber('MaxConcurrency', '{% "x" %}', undefined, 'JSONata', rule)(stateWith({}))),
    ).toBe('States.QueryEvaluationError');
  });

  it('names the state and its entered event when the path matches nothing', async () => {
    const thrown = await compileNumber(
      'MaxItems',
      undefined,
      '$.none',
      'JSONPath',
    )(stateWith({})).catch((e: StatesError) => e);
    expect((thrown as StatesError).causeText).toMatch(
      /^An error occurred while executing the state 'M' \(entered at the event id #2\)\./,
    );
  });
});
