import { describe, expect, it } from '@jest/globals';
import { extrapolateRun } from '../../../local/cost/extrapolate-usage.ts';
import { emptyUsage } from '../../../local/metering/usage.ts';

const run = (rows: number, transitions: number, publishes: number, validateMs: number) => {
  const usage = emptyUsage();
  usage.stepFunctions.standardTransitions = transitions;
  usage.sns.publishes = publishes;
  usage.lambda['chute-validate'] = { invocations: rows / 100, durationMs: validateMs, billedMs: validateMs };
  return {
    usage,
    files: 1,
    rowsPerFile: rows,
    bytesPerFile: rows * 150,
    statuses: { SUCCEEDED: 1 },
    seconds: 1,
  };
};

describe('extrapolateRun', () => {
  it('keeps what every file does once and grows what its rows do', () => {
    // Prepare: 7 transitions a file plus one a 100-row child; one publish a file.
    const small = run(1_000, 17, 1, 100);
    const big = run(10_000, 107, 1, 1_000);
    // Act
    const million = extrapolateRun(small, big, 1_000_000);
    // Assess
    expect(million.usage.stepFunctions.standardTransitions).toBe(7 + 10_000);
    expect(million.usage.sns.publishes).toBe(1);
    expect(million.usage.lambda['chute-validate']).toEqual({
      invocations: 10_000,
      durationMs: 100_000,
      billedMs: 100_000,
    });
    expect(million.bytesPerFile).toBe(150_000_000);
  });
});
