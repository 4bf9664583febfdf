import { randomUUID } from 'node:crypto';

export interface CreatedObject {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  reason: 'PutObject' | 'CopyObject' | 'CompleteMultipartUpload';
  requestId: string;
}

/**
 * The `Object Created` event S3 sends to EventBridge
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
 */
export function objectCreatedEvent(
  object: CreatedObject,
  account: { region: string; accountId: string },
  now = new Date(),
) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: account.accountId,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: account.region,
    resources: [`arn:aws:s3:::${object.bucket}`],
    detail: {
      version: '0',
      bucket: { name: object.bucket },
      object: {
        key: object.key,
        size: object.size,
        etag: object.etag.replaceAll('"', ''),
        sequencer: now.getTime().toString(16).toUpperCase().padStart(18, '0'),
      },
      'request-id': object.requestId,
      requester: account.accountId,
      'source-ip-address': '127.0.0.1',
      reason: object.reason,
    },
  };
}
