import type { Transformation } from '../definition/types.ts';

/** One child execution of a Map Run, as a ResultWriter file lists it. */
export interface ChildExecutionRecord {
  ExecutionArn: string;
  Name: string;
  StateMachineArn: string;
  Status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'RUNNING' | 'PENDING_REDRIVE';
  StartDate: string;
  StopDate?: string;
  Input?: string;
  Output?: string;
  Error?: string;
  Cause?: string;
  RedriveCount: number;
}

export type ResultGroup = 'SUCCEEDED' | 'FAILED' | 'PENDING';

/** Which result file a child lands in: `FAILED_n.json` holds failed, timed-out and aborted ones. */
export function resultGroupOf(status: ChildExecutionRecord['Status']): ResultGroup {
  if (status === 'SUCCEEDED') return 'SUCCEEDED';
  if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return 'PENDING';
  return 'FAILED';
}

/**
 * What a child contributes to a result file (or to the state's output when only a WriterConfig is
 * set), as JSON texts: NONE gives its entry with metadata; COMPACT its output; FLATTEN its output,
 * or the elements of an array output. A child that did not succeed always gives its entry.
 */
export function resultLinesOf(record: ChildExecutionRecord, transformation: Transformation): string[] {
  if (transformation === 'NONE' || record.Status !== 'SUCCEEDED')
    return [JSON.stringify(resultEntryOf(record))];
  const output = record.Output ?? 'null';
  if (transformation === 'COMPACT') return [output];
  const value: unknown = JSON.parse(output);
  return Array.isArray(value) ? value.map((element) => JSON.stringify(element)) : [output];
}

/** The entry AWS writes for a child (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html). */
export function resultEntryOf(record: ChildExecutionRecord): Record<string, unknown> {
  const succeeded = record.Status === 'SUCCEEDED';
  return {
    ExecutionArn: record.ExecutionArn,
    ...(record.Input !== undefined ? { Input: record.Input, InputDetails: { Included: true } } : {}),
    Name: record.Name,
    ...(succeeded && record.Output !== undefined
      ? { Output: record.Output, OutputDetails: { Included: true } }
      : {}),
    ...(record.Error !== undefined ? { Error: record.Error } : {}),
    ...(record.Cause !== undefined ? { Cause: record.Cause } : {}),
    RedriveCount: record.RedriveCount,
    RedriveStatus: succeeded ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
    ...(succeeded ? { RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' } : {}),
    StartDate: record.StartDate,
    StateMachineArn: record.StateMachineArn,
    Status: record.Status,
    ...(record.StopDate ? { StopDate: record.StopDate } : {}),
  };
}
