import { describe, expect, it } from '@jest/globals';
import { s3RequestClass } from '../../../local/metering/edge-meter.ts';
import { UsageMeter } from '../../../local/metering/usage-meter.ts';

const at = (ms: number) => new Date(1_700_000_000_000 + ms);
let nextId = 1;
const event = (type: string, ms = 0) => ({ id: nextId++, previousEventId: 0, timestamp: at(ms), type });

describe('UsageMeter counts state transitions as AWS bills them', () => {
  it('counts every state entered, inline Map iterations not, and a retry as one more', () => {
    // Prepare: a Task retried once, then an inline Map of two iterations with a Pass each.
    const meter = new UsageMeter();
    const execution = { executionArn: 'arn:standard', type: 'STANDARD' as const };
    const history = [
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskFailed',
      'TaskScheduled', // the retry
      'TaskSucceeded',
      'TaskStateExited',
      'MapStateEntered',
      'MapIterationStarted',
      'PassStateEntered',
      'MapIterationStarted',
      'PassStateEntered',
      'MapStateExited',
      'SucceedStateEntered',
      'ExecutionSucceeded',
    ];
    // Act
    for (const type of history) meter.historyEvent(execution, event(type));
    // Assess: Task + retry + Map + 2 Pass + Succeed.
    expect(meter.take().stepFunctions).toMatchObject({ standardTransitions: 6, standardExecutions: 1 });
  });

  it("bills a Distributed Map's parent one transition per child, and EXPRESS children by duration", () => {
    // Prepare
    const meter = new UsageMeter();
    const child = { executionArn: 'arn:child', type: 'EXPRESS' as const, mapRunArn: 'arn:maprun' };
    // Act: 250 ms and its states (not transitions: an EXPRESS execution bills by duration).
    meter.historyEvent(child, event('ExecutionStarted', 0));
    meter.historyEvent(child, event('TaskStateEntered', 10));
    meter.historyEvent(child, event('ExecutionSucceeded', 250));
    // Assess: 250 ms is billed as 300 ms.
    expect(meter.take().stepFunctions).toEqual({
      standardTransitions: 1,
      standardExecutions: 0,
      expressExecutions: 1,
      expressBilledMs: 300,
    });
  });

  it('counts a redrive as a transition, and the states it runs again', () => {
    // Prepare
    const meter = new UsageMeter();
    const execution = { executionArn: 'arn:redriven', type: 'STANDARD' as const };
    // Act
    for (const type of ['ExecutionRedriven', 'TaskStateEntered', 'TaskScheduled', 'ExecutionSucceeded'])
      meter.historyEvent(execution, event(type));
    // Assess
    expect(meter.take().stepFunctions.standardTransitions).toBe(2);
    expect(meter.runningExecutions).toBe(0);
  });
});

describe('s3RequestClass', () => {
  it.each([
    ['PUT', '/bucket/key', 'writeOrList'],
    ['POST', '/bucket/key?uploads', 'writeOrList'],
    ['GET', '/bucket?list-type=2&prefix=input/', 'writeOrList'],
    ['GET', '/bucket/key', 'read'],
    ['HEAD', '/bucket/key', 'read'],
    ['GET', '/bucket?location', 'read'],
    ['DELETE', '/bucket/key', 'free'],
  ])('%s %s is %s', (method, target, expected) => {
    expect(s3RequestClass(method, target)).toBe(expected);
  });
});
