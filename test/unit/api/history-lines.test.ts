import { describe, expect, it } from '@jest/globals';
import { HistoryWriter, readHistoryLines } from '../../../local/api/store/history-lines.ts';
import type { HistoryEvent } from '../../../local/engine/execution-types.ts';
import { detailsKeyOf } from '../../../local/engine/history.ts';

const batch = JSON.stringify({
  Items: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `row "${i}"` })),
});
const result = JSON.stringify({ loaded: 50, rows: batch });
const at = new Date('2026-11-23T10:00:00.000Z');

/** Event `id` after the one before it, with its details under AWS's field for `type`. */
const event = (id: number, type: string, details: Record<string, unknown>): HistoryEvent => ({
  id,
  previousEventId: id - 1,
  timestamp: at,
  type,
  [detailsKeyOf(type)]: details,
});
/** Events as the store serves them: timestamps in epoch seconds. */
const served = (written: HistoryEvent[]) => written.map((e) => ({ ...e, timestamp: at.getTime() / 1000 }));

const events: HistoryEvent[] = [
  event(1, 'ExecutionStarted', { input: batch }),
  event(2, 'TaskStateEntered', { name: 'Load', input: batch }),
  event(3, 'LambdaFunctionScheduled', { resource: 'arn', input: batch }),
  event(4, 'LambdaFunctionSucceeded', { output: result }),
  event(5, 'TaskStateExited', { name: 'Load', output: result }),
  event(6, 'PassStateEntered', { name: 'Small', input: '{"a":1}' }),
  event(7, 'PassStateExited', { name: 'Small', output: '{"a":1}' }),
];

describe('history lines', () => {
  it('write each big payload once and read back the events as they were', () => {
    const writer = new HistoryWriter();
    const text = events.map((e) => writer.line(e)).join('');

    expect(readHistoryLines(text)).toEqual(served(events));
    // The batch is escaped once, not three times; the result once, not twice.
    expect(text.split(JSON.stringify(batch)).length - 1).toBe(1);
    expect(text.split(JSON.stringify(result)).length - 1).toBe(1);
    expect(text).toContain('{"$sameAs":[1,"input"]}');
  });

  it('writes a payload that wraps an earlier one, or is part of one, as a reference', () => {
    const parameters = `{"FunctionName":"arn:aws:lambda:us-east-1:0:function:clean","Payload":${batch}}`;
    const wrapped = `{"ExecutedVersion":"$LATEST","Payload":${result},"StatusCode":200}`;
    const stage: HistoryEvent[] = [
      event(1, 'TaskStateEntered', { name: 'Clean', input: batch }),
      event(2, 'TaskScheduled', { resource: 'invoke', parameters }),
      event(3, 'TaskSucceeded', { output: wrapped }),
      event(4, 'TaskStateExited', { name: 'Clean', output: result }),
    ];
    const writer = new HistoryWriter();
    const text = stage.map((e) => writer.line(e)).join('');

    expect(readHistoryLines(text)).toEqual(served(stage));
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
