import { Batching } from './batching.ts';
import { FileFormats, Prefixes } from './resource-names.ts';

/**
 * The EventBridge pattern that starts the pipeline: S3 `Object Created` in the bucket, keys
 * under `input/` ending in a supported suffix. One `wildcard` per suffix (`input/*.csv`), as
 * EventBridge cannot combine prefix and suffix on one field otherwise. Used by infra/ and by the
 * local cloud, so both match exactly the same uploads.
 */
export function fileUploadedPattern(bucket: string) {
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: {
      bucket: { name: [bucket] },
      object: {
        key: Object.keys(FileFormats).map((suffix) => ({ wildcard: `${Prefixes.input}*.${suffix}` })),
      },
    },
  };
}

/**
 * The upload pattern for files of at most `Batching.smallFileMaxBytes` bytes: these wait in the
 * buffer queue and share an execution. EventBridge numeric matching on `detail.object.size`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html).
 */
export function smallFileUploadedPattern(bucket: string, maxBytes: number = Batching.smallFileMaxBytes) {
  return withSize(fileUploadedPattern(bucket), [{ numeric: ['<=', maxBytes] }]);
}

/** The upload pattern for files over `Batching.smallFileMaxBytes` bytes: each starts its own execution. */
export function bigFileUploadedPattern(bucket: string, maxBytes: number = Batching.smallFileMaxBytes) {
  return withSize(fileUploadedPattern(bucket), [{ numeric: ['>', maxBytes] }]);
}

function withSize(pattern: ReturnType<typeof fileUploadedPattern>, size: unknown[]) {
  return {
    ...pattern,
    detail: { ...pattern.detail, object: { ...pattern.detail.object, size } },
  };
}

/** Executions of the pipeline that ended badly: the failure notification listens for these. */
export function executionFailedPattern(stateMachineArn: string) {
  return {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [stateMachineArn] },
  };
}
