import { z } from 'zod';
import type { NotifyInput } from './notify.ts';

/** The `detail` of EventBridge's `Step Functions Execution Status Change` event. */
export const ExecutionStatusChangeSchema = z.object({
  detail: z.object({
    executionArn: z.string(),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    startDate: z.number(),
    input: z.string().nullable().optional(),
    error: z.string().nullable().optional(),
    cause: z.string().nullable().optional(),
  }),
});
export type ExecutionStatusChange = z.infer<typeof ExecutionStatusChangeSchema>;

const UploadEventSchema = z.object({
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), etag: z.string() }),
  }),
});

/**
 * What notify needs about a pipeline execution that ended badly, from its status-change event:
 * the file comes from the execution's input (the S3 upload event), the error from the event.
 * Undefined when the input is not an upload event (nothing to notify about).
 */
export function notifyInputOfFailure(event: ExecutionStatusChange): NotifyInput | undefined {
  const { detail } = event;
  let upload;
  try {
    upload = UploadEventSchema.parse(JSON.parse(detail.input ?? 'null'));
  } catch {
    return undefined;
  }
  return notifyInputOf(upload, detail);
}

function notifyInputOf(
  upload: z.infer<typeof UploadEventSchema>,
  detail: ExecutionStatusChange['detail'],
): NotifyInput {
  const { name: bucket } = upload.detail.bucket;
  const { key, etag } = upload.detail.object;
  return {
    file: { id: `s3://${bucket}/${key}#${etag}`, bucket, key, etag },
    dataset: key.split('/')[1] ?? '',
    executionArn: detail.executionArn,
    startedAt: new Date(detail.startDate).toISOString(),
    status: 'FAILED',
    error: { Error: detail.error ?? detail.status, Cause: detail.cause ?? '' },
  };
}

const BatchRecordsSchema = z.array(z.object({ body: z.string() }).loose()).min(1);

/** One file of a failed batch execution: what notify needs, and its claim in the ledger. */
export interface BatchFileFailure {
  input: NotifyInput;
  /** The claim ClaimBatchFile wrote: the execution and the record's position (the Map item index). */
  claim: string;
}

/**
 * The files of a failed batch execution (its input is EventBridge Pipes' array of SQS records),
 * each with the claim its child wrote. Undefined when the input is not such an array; a record
 * whose body is not an upload event is left out (the state machine never claimed it).
 */
export function filesOfFailedBatch(event: ExecutionStatusChange): BatchFileFailure[] | undefined {
  const { detail } = event;
  let records;
  try {
    records = BatchRecordsSchema.parse(JSON.parse(detail.input ?? 'null'));
  } catch {
    return undefined;
  }
  return records.flatMap((record, index) => {
    let upload;
    try {
      upload = UploadEventSchema.parse(JSON.parse(record.body));
    } catch {
      return [];
    }
    const input = notifyInputOf(upload, detail);
    return [{ input, claim: `${detail.executionArn}#${index}` }];
  });
}
