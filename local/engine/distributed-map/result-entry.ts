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
