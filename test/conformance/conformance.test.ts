import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDefinition } from '../../local/engine/compile/compile-machine.ts';
import { parseDefinition, InvalidDefinitionError } from '../../local/engine/definition/parse-definition.ts';
import { StatesError } from '../../local/engine/errors.ts';
import { runExecution } from '../../local/engine/execution.ts';
import type { HistoryEvent } from '../../local/engine/execution-types.ts';
import type { Clock, TaskRequest } from '../../local/engine/ports.ts';

/**
 * Each case is a directory `<area>/<case>/` with definition.json, input.json and expected.json:
 * `{ output | error (+cause) | invalid, events, source, tasks?, sleeps? }`. `source` says where
 * AWS documents the expected behaviour.
 */
interface Expected {
  source: string;
  output?: unknown;
  /** `null`: the result has no such field. */
  error?: string | null;
  cause?: string | null;
  /** FAILED unless said otherwise (TIMED_OUT). */
  status?: string;
  invalid?: string;
  events?: string[];
  /** Canned Task answers by resource: a result, or a list per attempt of results / `{error, cause}`. */
  tasks?: Record<string, unknown>;
  /** The sleeps (ms) the engine must ask of the clock, in order (retries, Wait states). */
  sleeps?: number[];
}

const root = new URL('.', import.meta.url).pathname;
const cases = readdirSync(root, { withFileTypes: true })
  .filter((area) => area.isDirectory())
  .flatMap((area) =>
    readdirSync(join(root, area.name), { withFileTypes: true })
      .filter((c) => c.isDirectory())
      .map((c) => join(area.name, c.name)),
  );

/**
 * A virtual clock: sleeps fire in order of their deadlines, one per macrotask, and time jumps
 * instead of passing — tests never really wait, and a 10 s timeout still beats a 60 s Wait.
 */
function virtualClock() {
  let now = Date.parse('2026-11-22T10:00:00.000Z');
  const sleeps: number[] = [];
  const timers: { at: number; fire: () => void }[] = [];
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      timers.sort((a, b) => a.at - b.at);
      const timer = timers.shift();
      if (!timer) return;
      now = Math.max(now, timer.at);
      timer.fire();
      if (timers.length) schedule();
    });
  };
  const clock: Clock = {
    now: () => new Date(now),
    sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        const timer = { at: now + ms, fire: resolve };
        timers.push(timer);
        signal?.addEventListener('abort', () => {
          timers.splice(timers.indexOf(timer), 1);
          reject(signal.reason);
        });
        schedule();
      });
    },
  };
  return { clock, sleeps };
}

/** Canned task answers: the Lambda stand-in of the conformance cases (the e2e tests run real handlers). */
function cannedTasks(tasks: Record<string, unknown> = {}) {
  const attempts = new Map<string, number>();
  return {
    async run(request: TaskRequest): Promise<unknown> {
      if (!(request.resource in tasks))
        throw new StatesError('States.TaskFailed', `No canned answer for ${request.resource}`);
      const answer = tasks[request.resource];
      const key = `${request.context.stateName}:${request.resource}`;
      const attempt = attempts.get(key) ?? 0;
      attempts.set(key, attempt + 1);
      const pick = Array.isArray(answer) ? answer[Math.min(attempt, answer.length - 1)] : answer;
      if (pick && typeof pick === 'object' && 'error' in pick) {
        const { error, cause } = pick as { error: string; cause?: string };
        throw new StatesError(error, cause);
      }
      if (pick && typeof pick === 'object' && 'echo' in pick) return request.parameters;
      return (pick as { result?: unknown })?.result;
    },
  };
}

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(root, dir, file), 'utf8'));

describe('conformance', () => {
  it.each(cases)('%s', async (dir) => {
    const expected = read(dir, 'expected.json') as Expected;
    expect(expected.source).toBeTruthy();
    const definitionText = readFileSync(join(root, dir, 'definition.json'), 'utf8');
    if (expected.invalid !== undefined) {
      expect(() => parseDefinition(definitionText)).toThrow(InvalidDefinitionError);
      expect(() => parseDefinition(definitionText)).toThrow(expected.invalid);
      return;
    }
    const input = existsSync(join(root, dir, 'input.json')) ? read(dir, 'input.json') : {};
    const { clock, sleeps } = virtualClock();
    const events: HistoryEvent[] = [];

    const result = await runExecution(compileDefinition(parseDefinition(definitionText)), input, {
      context: {
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:conformance:run',
        executionName: 'run',
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:conformance',
        stateMachineName: 'conformance',
        roleArn: 'arn:aws:iam::123456789012:role/conformance',
        startTime: '2026-11-22T10:00:00.000Z',
        redriveCount: 0,
      },
      taskRunner: cannedTasks(expected.tasks),
      clock,
      onEvent: (event) => events.push(event),
      signal: new AbortController().signal,
    });

    if (expected.error !== undefined || expected.status !== undefined) {
      expect(result.status).toBe(expected.status ?? 'FAILED');
      // `null` says the field is absent, as AWS leaves it (a Fail state without Error, a time-out).
      for (const field of ['error', 'cause'] as const) {
        if (expected[field] === null) expect(result).not.toHaveProperty(field);
        else if (expected[field] !== undefined) expect(result).toMatchObject({ [field]: expected[field] });
      }
    } else {
      expect(result).toEqual({ status: 'SUCCEEDED', output: expected.output });
    }
    if (expected.events) expect(events.map((e) => e.type)).toEqual(expected.events);
    if (expected.sleeps) expect(sleeps).toEqual(expected.sleeps);
    events.forEach((event, i) => expect(event.id).toBe(i + 1));
  });
});
