import { z } from 'zod';
import type { LogEvent, LogGroups } from './log-groups.ts';

/** The CloudWatch Logs API's `X-Amz-Target` prefix (AWS JSON 1.1). */
export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

/** An error as CloudWatch Logs answers it: its type, a message, HTTP 400. */
export class LogsApiError extends Error {
  override readonly name = 'LogsApiError';
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

const groupName = z.string().min(1).max(512);
const FilterSchema = z
  .object({
    logGroupName: groupName,
    logStreamNames: z.array(z.string()).max(100).optional(),
    logStreamNamePrefix: z.string().optional(),
    startTime: z.number().int().min(0).optional(),
    endTime: z.number().int().min(0).optional(),
    filterPattern: z.string().max(1024).optional(),
    nextToken: z.string().max(64).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .loose();
const GetSchema = z
  .object({
    logGroupName: groupName,
    logStreamName: z.string().min(1).max(512),
    startTime: z.number().int().min(0).optional(),
    endTime: z.number().int().min(0).optional(),
    nextToken: z.string().max(64).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    startFromHead: z.boolean().optional(),
  })
  .loose();
const DescribeGroupsSchema = z.object({ logGroupNamePrefix: z.string().max(512).optional() }).loose();

/**
 * A filter pattern's terms: every one must be in a message. Only terms (bare or quoted) are
 * matched locally; JSON, space-delimited and metric patterns are refused with a message that says so
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */
function termsOf(pattern: string | undefined): string[] {
  const text = (pattern ?? '').trim();
  if (/^[{[%]/.test(text))
    throw new LogsApiError(
      'InvalidParameterException',
      'The local CloudWatch Logs matches terms only ("a phrase" or words), not JSON or space-delimited patterns',
    );
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).filter(Boolean);
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LogsApiError('InvalidParameterException', `${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

const inTime = (event: LogEvent, start?: number, end?: number) =>
  (start === undefined || event.timestamp >= start) && (end === undefined || event.timestamp <= end);

function groupEvents(logGroups: LogGroups, name: string): readonly LogEvent[] {
  if (!logGroups.hasGroup(name))
    throw new LogsApiError('ResourceNotFoundException', 'The specified log group does not exist.');
  return logGroups.ofGroup(name);
}

const actions: Record<string, (body: unknown, logGroups: LogGroups) => unknown> = {
  FilterLogEvents(body, logGroups) {
    const input = parse(FilterSchema, body);
    const terms = termsOf(input.filterPattern);
    const limit = input.limit ?? 10_000;
    const events: Omit<LogEvent, 'logGroupName'>[] = [];
    let nextToken: string | undefined;
    // A page ends at an event id: the next starts after it, whatever older events were dropped since.
    for (const event of groupEvents(logGroups, input.logGroupName)) {
      if (input.nextToken !== undefined && event.eventId <= input.nextToken) continue;
      if (input.logStreamNames && !input.logStreamNames.includes(event.logStreamName)) continue;
      if (input.logStreamNamePrefix && !event.logStreamName.startsWith(input.logStreamNamePrefix)) continue;
      if (!inTime(event, input.startTime, input.endTime)) continue;
      if (!terms.every((term) => event.message.includes(term))) continue;
      if (events.length === limit) {
        nextToken = events.at(-1)!.eventId;
        break;
      }
      const { logStreamName, timestamp, message, ingestionTime, eventId } = event;
      events.push({ logStreamName, timestamp, message, ingestionTime, eventId });
    }
    return { events, searchedLogStreams: [], ...(nextToken ? { nextToken } : {}) };
  },
  GetLogEvents(body, logGroups) {
    const input = parse(GetSchema, body);
    const after = input.nextToken?.startsWith('f/') ? input.nextToken.slice(2) : undefined;
    const matching = groupEvents(logGroups, input.logGroupName).filter(
      (event) =>
        event.logStreamName === input.logStreamName &&
        inTime(event, input.startTime, input.endTime) &&
        (after === undefined || event.eventId > after),
    );
    const limit = input.limit ?? 10_000;
    // From the head when asked (or when following a forward token), else the latest events.
    const page =
      input.startFromHead || after !== undefined ? matching.slice(0, limit) : matching.slice(-limit);
    const last = page.at(-1)?.eventId ?? after ?? '';
    return {
      events: page.map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })),
      nextForwardToken: `f/${last}`,
      nextBackwardToken: `b/${page[0]?.eventId ?? ''}`,
    };
  },
  DescribeLogGroups(body, logGroups) {
    const input = parse(DescribeGroupsSchema, body);
    return {
      logGroups: logGroups
        .groupNames()
        .filter((name) => name.startsWith(input.logGroupNamePrefix ?? ''))
        .map((logGroupName) => ({ logGroupName, storedBytes: 0 })),
    };
  },
};

/**
 * The part of the CloudWatch Logs API that reads a log group: FilterLogEvents, GetLogEvents and
 * DescribeLogGroups, so that `aws logs filter-log-events --endpoint-url …` reads the local
 * state machine logs. Answers `{ status, body }` for one request's target and parsed body.
 */
export function answerLogsRequest(
  target: string,
  body: unknown,
  logGroups: LogGroups,
): { status: number; body: unknown } {
  const action = target.slice(LOGS_TARGET_PREFIX.length);
  try {
    if (!Object.hasOwn(actions, action))
      throw new LogsApiError('UnknownOperationException', `The local CloudWatch Logs has no ${action}`);
    return { status: 200, body: actions[action]!(body, logGroups) };
  } catch (error) {
    if (!(error instanceof LogsApiError)) throw error;
    return { status: 400, body: { __type: error.type, message: error.message } };
  }
}
