import { describe, expect, it } from '@jest/globals';
import type { HistoryEvent } from '../../../local/console/ui/sfn-types.ts';
import { readStateProgress } from '../../../local/console/ui/state-progress.ts';

// An event as the API returns it: details under AWS's field name for its type.
function event(
  id: number,
  previousEventId: number,
  type: string,
  details?: Record<string, unknown>,
): HistoryEvent {
  const key = type.endsWith('StateEntered')
    ? 'stateEnteredEventDetails'
    : type.endsWith('StateExited')
      ? 'stateExitedEventDetails'
      : `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
  return {
    id,
    previousEventId,
    timestamp: 1_700_000_000 + id / 1000,
    type,
    ...(details ? { [key]: details } : {}),
  };
}

const statuses = (events: HistoryEvent[], status: Parameters<typeof readStateProgress>[1]) =>
  Object.fromEntries(
    [...readStateProgress(events, status).byName].map(([name, state]) => [name, state.status]),
  );

describe('readStateProgress', () => {
  it('tells a Map in a Parallel branch from its sibling when previousEventId points across branches', () => {
    // Recorded from the engine: MapIterationSucceeded (21) follows the other branch's last event (20).
    const events = [
      event(1, 0, 'ExecutionStarted'),
      event(2, 1, 'ParallelStateEntered', { name: 'Fan' }),
      event(3, 2, 'ParallelStateStarted'),
      event(4, 3, 'PassStateEntered', { name: 'A1' }),
      event(5, 3, 'MapStateEntered', { name: 'Each' }),
      event(6, 5, 'MapStateStarted'),
      event(7, 6, 'MapIterationStarted'),
      event(8, 7, 'PassStateEntered', { name: 'Item' }),
      event(9, 4, 'PassStateExited', { name: 'A1' }),
      event(10, 9, 'PassStateEntered', { name: 'A2' }),
      event(11, 8, 'PassStateExited', { name: 'Item' }),
      event(12, 10, 'PassStateExited', { name: 'A2' }),
      event(13, 12, 'MapIterationSucceeded'),
      event(14, 13, 'MapStateSucceeded'),
      event(15, 14, 'MapStateExited', { name: 'Each' }),
      event(16, 15, 'ParallelStateSucceeded'),
      event(17, 16, 'ParallelStateExited', { name: 'Fan' }),
      event(18, 17, 'FailStateEntered', { name: 'Boom' }),
      event(19, 18, 'ExecutionFailed', { error: 'Custom.Boom' }),
    ];

    const progress = readStateProgress(events, 'FAILED');

    expect(statuses(events, 'FAILED')).toEqual({
      Fan: 'succeeded',
      A1: 'succeeded',
      Each: 'succeeded',
      Item: 'succeeded',
      A2: 'succeeded',
      Boom: 'failed',
    });
    const parentOf = (name: string) => progress.entries.find((e) => e.name === name)?.parentEntryId;
    expect([parentOf('A1'), parentOf('Each'), parentOf('Item'), parentOf('Boom')]).toEqual([
      2,
      2,
      5,
      undefined,
    ]);
  });

  it('says retried for a Task that failed and then succeeded, caught for one whose Catch took it', () => {
    const events = [
      event(1, 0, 'ExecutionStarted'),
      event(2, 1, 'TaskStateEntered', { name: 'Load', input: '{"n":1}' }),
      event(3, 2, 'TaskScheduled'),
      event(4, 3, 'TaskStarted'),
      event(5, 4, 'TaskFailed', { error: 'TransientError', cause: 'database unavailable' }),
      event(6, 5, 'TaskScheduled'),
      event(7, 6, 'TaskStarted'),
      event(8, 7, 'TaskSucceeded', { output: '{}' }),
      event(9, 8, 'TaskStateExited', { name: 'Load', output: '{"loaded":1}' }),
      event(10, 9, 'TaskStateEntered', { name: 'Notify' }),
      event(11, 10, 'TaskScheduled'),
      event(12, 11, 'TaskFailed', { error: 'Broken', cause: 'no topic' }),
      event(13, 12, 'TaskStateExited', { name: 'Notify', output: '{"Error":"Broken"}' }),
      event(14, 13, 'SucceedStateEntered', { name: 'Done' }),
      event(15, 14, 'SucceedStateExited', { name: 'Done' }),
      event(16, 15, 'ExecutionSucceeded'),
    ];

    const progress = readStateProgress(events, 'SUCCEEDED');

    expect(statuses(events, 'SUCCEEDED')).toEqual({ Load: 'retried', Notify: 'caught', Done: 'succeeded' });
    expect(progress.byName.get('Load')?.retries).toBe(1);
    expect(progress.byName.get('Load')?.entries[0]).toMatchObject({
      input: '{"n":1}',
      output: '{"loaded":1}',
    });
    expect(progress.byName.get('Notify')?.entries[0]).toMatchObject({ error: 'Broken', cause: 'no topic' });
  });

  it('follows a redrive: the Map that failed and ran again is succeeded', () => {
    const events = [
      event(1, 0, 'ExecutionStarted'),
      event(2, 1, 'MapStateEntered', { name: 'Rows' }),
      event(3, 2, 'MapRunStarted', { mapRunArn: 'arn:map-run' }),
      event(4, 3, 'MapRunFailed', { error: 'States.ExceedToleratedFailureThreshold' }),
      event(5, 4, 'ExecutionFailed', { error: 'States.ExceedToleratedFailureThreshold' }),
    ];
    expect(statuses(events, 'FAILED')).toEqual({ Rows: 'failed' });

    const redriven = [
      ...events,
      event(6, 5, 'ExecutionRedriven', { redriveCount: 1 }),
      event(7, 6, 'MapStateEntered', { name: 'Rows' }),
      event(8, 7, 'MapRunRedriven'),
      event(9, 8, 'MapRunSucceeded'),
      event(10, 9, 'MapStateExited', { name: 'Rows' }),
      event(11, 10, 'ExecutionSucceeded'),
    ];
    expect(statuses(redriven, 'SUCCEEDED')).toEqual({ Rows: 'succeeded' });
  });

  it('says running for a state still open in a running execution, aborted once it is stopped', () => {
    const events = [
      event(1, 0, 'ExecutionStarted'),
      event(2, 1, 'TaskStateEntered', { name: 'Wait for the gate' }),
      event(3, 2, 'TaskScheduled'),
    ];
    expect(statuses(events, 'RUNNING')).toEqual({ 'Wait for the gate': 'running' });
    expect(statuses([...events, event(4, 3, 'ExecutionAborted')], 'ABORTED')).toEqual({
      'Wait for the gate': 'aborted',
    });
  });
});
