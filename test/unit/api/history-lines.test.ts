import { describe, expect, it } from '@jest/globals';
import { HistoryWriter, readHistoryLines } from '../../../local/api/store/history-lines.ts';
import type { HistoryEvent } from '../../../local/engine/execution-types.ts';

const batch = JSON.stringify({
  Items: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `row "${i}"` })),
});
const result = JSON.stringify({ loaded: 50, rows: batch });
const at = new Date('2026-11-23T10:00:00.000Z');

const events: HistoryEvent[] = [
  {
    id: 1,
    previousEventId: 0,
    timestamp: at,
    type: 'ExecutionStarted',
    executionStartedEventDetails: { input: batch },
  },
  {
    id: 2,
    previousEventId: 1,
    timestamp: at,
    type: 'TaskStateEntered',
    stateEnteredEventDetails: { name: 'Load', input: batch },
  },
  {
    id: 3,
    previousEventId: 2,
    timestamp: at,
    type: 'LambdaFunctionScheduled',
    lambdaFunctionScheduledEventDetails: { resource: 'arn', input: batch },
  },
  {
    id: 4,
    previousEventId: 3,
    timestamp: at,
    type: 'LambdaFunctionSucceeded',
    lambdaFunctionSucceededEventDetails: { output: result },
  },
  {
    id: 5,
    previousEventId: 4,
    timestamp: at,
    type: 'TaskStateExited',
    stateExitedEventDetails: { name: 'Load', output: result },
  },
  {
    id: 6,
    previousEventId: 5,
    timestamp: at,
    type: 'PassStateEntered',
    stateEnteredEventDetails: { name: 'Small', input: '{"a":1}' },
  },
  {
    id: 7,
    previousEventId: 6,
    timestamp: at,
    type: 'PassStateExited',
    stateExitedEventDetails: { name: 'Small', output: '{"a":1}' },
  },
];

describe('history lines', () => {
  it('write each big payload once and read back the events as they were', () => {
    const writer = new HistoryWriter();
    const text = events.map((event) => writer.line(event)).join('');

    expect(readHistoryLines(text)).toEqual(
      events.map((event) => ({ ...event, timestamp: at.getTime() / 1000 })),
    );
    // The batch is escaped once, not three times; the result once, not twice.
    expect(text.split(JSON.stringify(batch)).length - 1).toBe(1);
    expect(text.split(JSON.stringify(result)).length - 1).toBe(1);
    expect(text).toContain('{"$sameAs":[1,"input"]}');
  });

  it('writes a payload that wraps an earlier one, or is part of one, as a reference', () => {
    const parameters = `{"FunctionName":"arn:aws:lambda:us-east-1:0:function:clean","Payload":${batch}}`;
    const wrapped = `{"ExecutedVersion":"$LATEST","Payload":${result},"StatusCode":200}`;
    const stage: HistoryEvent[] = [
      { ...events[1]!, id: 1, stateEnteredEventDetails: { name: 'Clean', input: batch } },
      {
        id: 2,
        previousEventId: 1,
        timestamp: at,
        type: 'TaskScheduled',
        taskScheduledEventDetails: { resource: 'invoke', parameters },
      },
      {
        id: 3,
        previousEventId: 2,
        timestamp: at,
        type: 'TaskSucceeded',
        taskSucceededEventDetails: { output: wrapped },
      },
      {
        id: 4,
        previousEventId: 3,
        timestamp: at,
        type: 'TaskStateExited',
        stateExitedEventDetails: { name: 'Clean', output: result },
      },
    ];
    const writer = new HistoryWriter();
    const text = stage.map((event) => writer.line(event)).join('');

    expect(readHistoryLines(text)).toEqual(stage.map((e) => ({ ...e, timestamp: at.getTime() / 1000 })));
    expect(text.split(JSON.stringify(batch).slice(1, -1)).length - 1).toBe(1);
    expect(text.split(JSON.stringify(result).slice(1, -1)).length - 1).toBe(1);
  });

  it('a new writer (a redrive after a restart) refers to nothing it did not write', () => {
    const first = new HistoryWriter();
    const second = new HistoryWriter();
    const text = first.line(events[0]!) + second.line(events[1]!);

    expect(text).not.toContain('$sameAs');
    expect(readHistoryLines(text)[1]).toMatchObject({ stateEnteredEventDetails: { input: batch } });
  });
});
