import { describe, expect, it } from '@jest/globals';
import {
  filesOfFailedBatch,
  notifyInputOfFailure,
  type ExecutionStatusChange,
} from '../../../functions/notify/execution-failed.ts';

const executionArn = 'arn:aws:states:us-east-1:0:execution:chute-pipeline:run-1';
const upload = (key: string, etag = 'e1') => ({
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: 'chute' }, object: { key, etag, size: 10 } },
});
const record = (body: unknown) => ({
  messageId: 'm',
  receiptHandle: 'r',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {},
  messageAttributes: {},
  md5OfBody: 'x',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:0:q',
  awsRegion: 'us-east-1',
});
const failed = (input: unknown): ExecutionStatusChange => ({
  detail: {
    executionArn,
    status: 'ABORTED',
    startDate: Date.parse('2026-12-03T10:00:00Z'),
    input: JSON.stringify(input),
    error: null,
    cause: null,
  },
});

describe('the failure rule on a batch execution (functions/notify/execution-failed.ts)', () => {
  it('names each file of the batch with the claim its child wrote (the record position)', () => {
    const files = filesOfFailedBatch(
      failed([
        record(upload('input/orders/a.csv')),
        record('not json'),
        record(upload('input/logs/b.jsonl')),
      ]),
    );
    expect(files).toEqual([
      {
        claim: `${executionArn}#0`,
        input: expect.objectContaining({
          file: {
            id: 's3://chute/input/orders/a.csv#e1',
            bucket: 'chute',
            key: 'input/orders/a.csv',
            etag: 'e1',
          },
          dataset: 'orders',
          status: 'FAILED',
          error: { Error: 'ABORTED', Cause: '' },
        }),
      },
      // The record that is not an upload event was never claimed: left out, nothing crashes.
      { claim: `${executionArn}#2`, input: expect.objectContaining({ dataset: 'logs' }) },
    ]);
  });

  it('leaves a single-file execution to the single-file path, and the reverse', () => {
    const single = failed(upload('input/orders/a.csv'));
    expect(filesOfFailedBatch(single)).toBeUndefined();
    expect(notifyInputOfFailure(single)?.file.key).toBe('input/orders/a.csv');
    expect(notifyInputOfFailure(failed([record(upload('input/orders/a.csv'))]))).toBeUndefined();
    expect(filesOfFailedBatch(failed([]))).toBeUndefined();
    expect(filesOfFailedBatch(failed({}))).toBeUndefined();
  });
});
