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

/** Executions of the pipeline that ended badly: the failure notification listens for these. */
export function executionFailedPattern(stateMachineArn: string) {
  return {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [stateMachineArn] },
  };
}
