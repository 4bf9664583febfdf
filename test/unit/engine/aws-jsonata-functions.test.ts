import { describe, expect, it } from '@jest/globals';
import { StatesError } from '../../../local/engine/errors.ts';
import { compileJsonataTemplate } from '../../../local/engine/jsonata/evaluate-jsonata.ts';

const states = { input: { text: 'abc', missing: undefined }, context: {} };
const evaluateExpression = (text: string, scope: typeof states, variables: Record<string, unknown>) =>
  compileJsonataTemplate(text).evaluate(scope, variables);
const evaluate = (expression: string) => evaluateExpression(`{% ${expression} %}`, states, {});

/** The error and cause a failing expression fails the state with. */
async function failure(expression: string): Promise<{ error: string; cause: string | undefined }> {
  const thrown = await evaluate(expression).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(StatesError);
  return { error: (thrown as StatesError).error, cause: (thrown as StatesError).causeText };
}

// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html — "JSONata functions
// provided by Step Functions".
describe("AWS's JSONata functions", () => {
  it.each([
    ['MD5', '900150983cd24fb0d6963f7d28e17f72'],
    ['SHA-1', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['SHA-256', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'SHA-384',
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    ],
    [
      'SHA-512',
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ],
  ])('$hash with %s gives the standard test vector of "abc"', async (algorithm, digest) => {
    await expect(evaluate(`$hash($states.input.text, '${algorithm}')`)).resolves.toBe(digest);
  });

  it.each([
    ["$hash('abc', 'sha-256')", '$hash: the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512'],
    ["$hash(12, 'MD5')", '$hash: the first argument must be a string'],
    ['$partition([1, 2], 0.5)', '$partition: the chunk size must be a positive integer, got 0'],
    ["$partition('ab', 1)", '$partition: the first argument must be an array'],
    ['$range(1, 5, 0)', '$range: the step must not be 0'],
    ["$range(1, '5', 1)", '$range: the end must be a number'],
    ['$range(0, 2000000, 1)', '$range: more than 1000000 items'],
    ["$random('x')", '$random: the seed must be a number'],
    ["$parse('{')", '$parse: '],
    ['$parse(1)', '$parse: the argument must be a JSON string'],
    ["$eval('1')", 'Attempted to invoke a non-function'],
  ])('%s fails with States.QueryEvaluationError saying why', async (expression, reason) => {
    const { error, cause } = await failure(expression);

    expect(error).toBe('States.QueryEvaluationError');
    expect(cause).toContain(reason);
  });

  it('gives undefined for an argument that matched nothing, as JSONata functions do', async () => {
    for (const name of ['$partition', '$hash', '$parse']) {
      await expect(evaluate(`${name}($states.input.missing, 2)`)).resolves.toBeUndefined();
    }
  });

  it('$random with a seed repeats, without one it does not', async () => {
    const seeded = await Promise.all([evaluate('$random(7)'), evaluate('$random(7.9)')]);
    const unseeded = await Promise.all([evaluate('$random()'), evaluate('$random()')]);

    expect(seeded[0]).toBe(seeded[1]);
    expect(unseeded[0]).not.toBe(unseeded[1]);
  });

  it('$uuid gives a new v4 UUID each time', async () => {
    const [a, b] = await Promise.all([evaluate('$uuid()'), evaluate('$uuid()')]);

    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('leaves a workflow variable of the same name to the workflow', async () => {
    await expect(evaluateExpression('{% $hash %}', states, { hash: 'mine' })).resolves.toBe('mine');
    await expect(evaluateExpression('{% $hash & "" %}', states, { hash: 'mine' })).resolves.toBe('mine');
  });
});
