import { describe, expect, it } from '@jest/globals';
import { StatesError } from '../../../local/engine/errors.ts';
import { callIntrinsic } from '../../../local/engine/intrinsics/functions.ts';

const failureOf = (name: string, args: unknown[]) => {
  try {
    callIntrinsic(name, args);
  } catch (error) {
    return error;
  }
  return undefined;
};

// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
describe('intrinsic functions', () => {
  it.each([
    [[2147483647, 0], 2147483647],
    [[-2147483648, 0], -2147483648],
    [[2147483647.4, -1], 2147483646],
    [[0.5, -0.5], 1],
  ])('States.MathAdd%j is %d: Java ints, non-integers rounded half up', (args, sum) => {
    expect(callIntrinsic('States.MathAdd', args)).toBe(sum);
  });

  it.each([[[2147483647.5, 0]], [[-2147483649, 0]], [[0, 1e12]]])(
    'States.MathAdd%j fails: an argument outside the Java int range',
    (args) => {
      const error = failureOf('States.MathAdd', args);

      expect(error).toBeInstanceOf(StatesError);
      expect((error as StatesError).error).toBe('States.IntrinsicFailure');
    },
  );

  it('States.MathRandom with a seed gives the same number each time, from start up to before end', () => {
    const draws = Array.from({ length: 5 }, () => callIntrinsic('States.MathRandom', [1, 999, 3]));

    expect(new Set(draws).size).toBe(1);
    // start + new java.util.Random(3).nextInt(end - start), as jshell prints it: the generator of
    // AWS's seeded $random; that MathRandom draws from it too is our assumption.
    expect(draws[0]).toBe(1 + 892);
    expect(callIntrinsic('States.MathRandom', [1, 999, 3.2])).toBe(draws[0]);
  });

  it('States.MathRandom without a seed stays within [start, end)', () => {
    const draws = Array.from({ length: 200 }, () => callIntrinsic('States.MathRandom', [-2, 1]) as number);

    expect(new Set(draws)).toEqual(new Set([-2, -1, 0]));
  });

  it('States.ArrayPartition and States.ArrayRange round a non-integer size or bound', () => {
    expect(callIntrinsic('States.ArrayPartition', [[1, 2, 3], 1.5])).toEqual([[1, 2], [3]]);
    expect(callIntrinsic('States.ArrayRange', [5, 0.5, -2.5])).toEqual([5, 3, 1]);
  });

  it('States.Format prints nested objects and arrays as AWS does', () => {
    const value = { a: [1, { b: null }], c: 'x y' };

    expect(callIntrinsic('States.Format', ['<{}>', value])).toBe('<{a=[1, {b=null}], c=x y}>');
    expect(callIntrinsic('States.Format', ['{}{}', true, 2])).toBe('true2');
  });

  it('States.UUID gives a new v4 UUID each time', () => {
    const [a, b] = [callIntrinsic('States.UUID', []), callIntrinsic('States.UUID', [])];

    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});
