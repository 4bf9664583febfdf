import { z } from 'zod';
import { detailsKeyOf } from '../engine/history.ts';
import type { HistoryEvent } from '../engine/execution-types.ts';
import type { LogGroups } from '../services/log-groups.ts';
import { ApiError } from './api-error.ts';
import type { ExecutionRecord } from './store/records.ts';
import type { StateStore } from './store/state-store.ts';

/**
 * A state machine's LoggingConfiguration as CreateStateMachine and UpdateStateMachine take it
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_LoggingConfiguration.html).
 */
export const LoggingConfigurationSchema = z
  .object({
    level: z.enum(['ALL', 'ERROR', 'FATAL', 'OFF']).optional(),
    includeExecutionData: z.boolean().optional(),
    destinations: z
      .array(
        z
          .object({
            cloudWatchLogsLogGroup: z
              .object({ logGroupArn: z.string().max(256) })
              .loose()
              .optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();

export interface LoggingConfiguration {
  level: 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
  includeExecutionData: boolean;
  destinations?: { cloudWatchLogsLogGroup: { logGroupArn: string } }[];
}

/** What DescribeStateMachine answers for a machine that never set one. */
export const loggingOff: LoggingConfiguration = { level: 'OFF', includeExecutionData: false };

const logGroupArnPattern = /^arn:aws[\w-]*:logs:[a-z0-9-]+:\d{12}:log-group:([\w#./-]{1,512}):\*$/;

/**
 * The configuration as kept, checked as AWS checks it: at most one destination, required unless
 * the level is OFF, a log group ARN ending in `:*`. Otherwise InvalidLoggingConfiguration.
 */
export function checkLoggingConfiguration(
  input: z.infer<typeof LoggingConfigurationSchema>,
): LoggingConfiguration {
  const level = input.level ?? 'OFF';
  const destinations = input.destinations ?? [];
  if (destinations.length > 1)
    throw new ApiError(
      'InvalidLoggingConfiguration',
      'Invalid Logging Configuration: Only one destination is allowed',
    );
  if (level !== 'OFF' && destinations.length === 0)
    throw new ApiError(
      'InvalidLoggingConfiguration',
      'Invalid Logging Configuration: Must specify exactly one Log Destination when level is not OFF',
    );
  const arns = destinations.map((d) => d.cloudWatchLogsLogGroup?.logGroupArn ?? '');
  const bad = arns.find((arn) => !logGroupArnPattern.test(arn));
  if (bad !== undefined)
    throw new ApiError(
      'InvalidLoggingConfiguration',
      `Invalid Logging Configuration: Log Destination '${bad}' is not a CloudWatch Logs log group ARN ending in ':*'`,
    );
  return {
    level,
    includeExecutionData: input.includeExecutionData ?? false,
    ...(arns.length
      ? { destinations: arns.map((logGroupArn) => ({ cloudWatchLogsLogGroup: { logGroupArn } })) }
      : {}),
  };
}

/** `arn:aws:logs:…:log-group:NAME:*` → NAME. */
export const logGroupNameOf = (arn: string): string | undefined => logGroupArnPattern.exec(arn)?.[1];

/**
 * The event types each level logs, as the table of
 * https://docs.aws.amazon.com/step-functions/latest/dg/cloudwatch-log-level.html lists them
 * (ALL logs every type, OFF none).
 */
const fatalEvents = new Set(['ExecutionAborted', 'ExecutionFailed', 'ExecutionTimedOut']);
const errorEvents = new Set([
  ...fatalEvents,
  'FailStateEntered',
  'LambdaFunctionFailed',
  'LambdaFunctionScheduleFailed',
  'LambdaFunctionStartFailed',
  'LambdaFunctionTimedOut',
  'MapIterationAborted',
  'MapIterationFailed',
  'MapStateAborted',
  'MapStateFailed',
  'ParallelStateAborted',
  'ParallelStateFailed',
  'TaskFailed',
  'TaskStartFailed',
  'TaskStateAborted',
  'TaskSubmitFailed',
  'TaskTimedOut',
  'WaitStateAborted',
]);
const logged: Record<Exclude<LoggingConfiguration['level'], 'OFF'>, (type: string) => boolean> = {
  ALL: () => true,
  ERROR: (type) => errorEvents.has(type),
  FATAL: (type) => fatalEvents.has(type),
};

/** Escaped input or output over this is cut, its `truncated` set (cw-logs.html, "CloudWatch Logs payloads"). */
const MAX_PAYLOAD = 248 * 1024;
/** The execution data of an event's details: left out when includeExecutionData is false. */
const dataFields = ['input', 'inputDetails', 'output', 'outputDetails', 'parameters'] as const;

function detailsOf(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const details = (event[detailsKeyOf(event.type)] as Record<string, unknown> | undefined) ?? {};
  if (!includeData) {
    if (!dataFields.some((field) => field in details)) return details;
    const rest = { ...details };
    for (const field of dataFields) delete rest[field];
    return rest;
  }
  let cut: Record<string, unknown> | undefined;
  for (const field of ['input', 'output'] as const) {
    const value = details[field];
    if (typeof value === 'string' && value.length > MAX_PAYLOAD) {
      cut ??= { ...details };
      cut[field] = value.slice(0, MAX_PAYLOAD);
      cut[`${field}Details`] = { truncated: true };
    }
  }
  return cut ?? details;
}

/**
 * One history event as Step Functions writes it to CloudWatch Logs: AWS's snake_case fields,
 * numbers as strings, the event's details under `details` (as an Express execution's log shows
 * them, e.g. github.com/moralesl/masking-sensitive-express-step-functions' README).
 */
export function logMessageOf(
  event: HistoryEvent,
  execution: Pick<ExecutionRecord, 'executionArn' | 'redriveCount'>,
  includeData: boolean,
): string {
  return JSON.stringify({
    id: String(event.id),
    type: event.type,
    details: detailsOf(event, includeData),
    previous_event_id: String(event.previousEventId),
    event_timestamp: String(event.timestamp.getTime()),
    execution_arn: execution.executionArn,
    redrive_count: String(execution.redriveCount),
  });
}

/** The machine whose logging configuration an execution logs under: a Map Run child's is its parent's. */
export function loggingMachineNameOf(stateMachineArn: string): string {
  const name = stateMachineArn.slice(stateMachineArn.indexOf(':stateMachine:') + ':stateMachine:'.length);
  return name.split(/[/:]/, 1)[0]!;
}

/**
 * What writes an execution's events to its state machine's log group, or undefined when its
 * machine does not log (level OFF, or no configuration): then nothing is looked at per event.
 * Events the level leaves out are dropped before anything is formatted. A Map Run child logs
 * under its parent machine's configuration, as DescribeStateMachineForExecution answers it
 * (the state machine "associated with the Map Run", API_DescribeStateMachineForExecution.html),
 * and its events are found by its parent's ARN too.
 */
export function executionLogWriter(
  record: ExecutionRecord,
  store: StateStore,
  logGroups: LogGroups,
): ((event: HistoryEvent) => void) | undefined {
  const machineName = loggingMachineNameOf(record.stateMachineArn);
  const configuration = store.machines.get(machineName)?.loggingConfiguration;
  if (!configuration || configuration.level === 'OFF') return undefined;
  const logGroupName = logGroupNameOf(
    configuration.destinations?.[0]?.cloudWatchLogsLogGroup.logGroupArn ?? '',
  );
  if (!logGroupName) return undefined;
  const isLogged = logged[configuration.level];
  const parent = record.mapRunArn ? store.mapRuns.get(record.mapRunArn)?.executionArn : undefined;
  const keys = parent ? [record.executionArn, parent] : [record.executionArn];
  // A stream per machine and minute the execution started in, named as Step Functions names them
  // (`states/<machine>/<yyyy-MM-dd-HH-mm>/<id>`).
  const minute = new Date(record.startDate * 1000).toISOString().slice(0, 16).replace(/[T:]/g, '-');
  const logStreamName = `states/${machineName}/${minute}/00000000`;
  return (event) => {
    if (!isLogged(event.type)) return;
    logGroups.put(
      {
        logGroupName,
        logStreamName,
        timestamp: event.timestamp.getTime(),
        message: logMessageOf(event, record, configuration.includeExecutionData),
      },
      keys,
    );
  };
}
