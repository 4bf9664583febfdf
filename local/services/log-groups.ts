import { BoundedLog } from './bounded-log.ts';

/** One log event as CloudWatch Logs returns it (FilterLogEvents' `events`), with its group. */
export interface LogEvent {
  logGroupName: string;
  logStreamName: string;
  /** Epoch milliseconds: when it happened, and when the log took it. */
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

/** What CloudWatch Logs keeps of one event: 256 KB (cloudwatch_limits_cwl.html). */
export const MAX_EVENT_SIZE = 256 * 1024;
const DEFAULT_BUDGET = 8 * 2 ** 20;

/**
 * Log groups as CloudWatch Logs holds them, in memory and bounded: the latest events of all
 * groups within one budget of text, oldest out first, each found by its group and by the
 * executions it is about (a Map Run child's events by its own ARN and by its parent's).
 */
export class LogGroups {
  readonly #groups = new Set<string>();
  readonly #log: BoundedLog<LogEvent>;
  #nextId = 0;

  constructor(budget = DEFAULT_BUDGET) {
    this.#log = new BoundedLog(budget);
  }

  /** Makes a group exist (CreateLogGroup; a state machine's logging configuration names one). */
  createGroup(name: string): void {
    this.#groups.add(name);
  }

  hasGroup(name: string): boolean {
    return this.#groups.has(name);
  }

  /** Every group's name, sorted as DescribeLogGroups lists them. */
  groupNames(): string[] {
    return [...this.#groups].sort();
  }

  /** Appends an event to a group's stream, found again by each of `executionArns`. */
  put(
    event: { logGroupName: string; logStreamName: string; timestamp: number; message: string },
    executionArns: readonly string[],
  ): void {
    this.#groups.add(event.logGroupName);
    const kept: LogEvent = {
      ...event,
      ingestionTime: Date.now(),
      eventId: String(++this.#nextId).padStart(20, '0'),
    };
    this.#log.add(kept, event.message.length + 128, [`group:${event.logGroupName}`, ...executionArns]);
  }

  /** A group's events, oldest first. */
  ofGroup(logGroupName: string): readonly LogEvent[] {
    return this.#log.byKey(`group:${logGroupName}`);
  }

  /** The events about an execution (and, for a parent, its Map Runs' children), oldest first. */
  ofExecution(executionArn: string): readonly LogEvent[] {
    return this.#log.byKey(executionArn);
  }
}
