import type { ObjectStore } from '../item-readers/object-store.ts';

/** One child execution of a Map Run, as a ResultWriter file lists it. */
export interface ChildExecutionRecord {
  ExecutionArn: string;
  Name: string;
  StateMachineArn: string;
  Status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'RUNNING' | 'PENDING_REDRIVE';
  StartDate: string;
  StopDate?: string;
  Input: string;
  Output?: string;
  Error?: string;
  Cause?: string;
  RedriveCount: number;
}

export interface ResultWriterTarget {
  bucket: string;
  prefix?: string;
  mapRunArn: string;
}

export interface ResultWriterDetails {
  Bucket: string;
  Key: string;
}

// AWS splits result files at 5 GB; far beyond what the local cloud writes in one file.
const groups = {
  SUCCEEDED: ['SUCCEEDED'],
  FAILED: ['FAILED', 'TIMED_OUT', 'ABORTED'],
  PENDING: ['RUNNING', 'PENDING_REDRIVE'],
};

function entryOf(record: ChildExecutionRecord): Record<string, unknown> {
  const succeeded = record.Status === 'SUCCEEDED';
  return {
    ExecutionArn: record.ExecutionArn,
    Input: record.Input,
    InputDetails: { Included: true },
    Name: record.Name,
    ...(succeeded ? { Output: record.Output, OutputDetails: { Included: true } } : {}),
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

/**
 * Writes a Map Run's results as AWS lays them out
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html):
 * `<Prefix>/<map run id>/SUCCEEDED_0.json`, `FAILED_0.json`, `PENDING_0.json` (JSON arrays of
 * child executions) and `manifest.json` listing them; returns the state's `ResultWriterDetails`.
 */
export async function writeMapRunResults(
  records: ChildExecutionRecord[],
  target: ResultWriterTarget,
  store: ObjectStore,
): Promise<ResultWriterDetails> {
  const runId = target.mapRunArn.slice(target.mapRunArn.lastIndexOf(':') + 1);
  const base = [target.prefix?.replace(/\/+$/, ''), runId].filter(Boolean).join('/');
  const resultFiles: Record<string, { Key: string; Size: number }[]> = {
    FAILED: [],
    PENDING: [],
    SUCCEEDED: [],
  };
  for (const [group, statuses] of Object.entries(groups)) {
    const entries = records.filter((record) => statuses.includes(record.Status)).map(entryOf);
    if (!entries.length) continue;
    const key = `${base}/${group}_0.json`;
    const body = JSON.stringify(entries);
    await store.putObject(target.bucket, key, body);
    resultFiles[group]!.push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${base}/manifest.json`;
  const manifest = {
    DestinationBucket: target.bucket,
    MapRunArn: target.mapRunArn,
    ResultFiles: resultFiles,
  };
  await store.putObject(target.bucket, manifestKey, JSON.stringify(manifest));
  return { Bucket: target.bucket, Key: manifestKey };
}
