import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StatesError } from '../engine/errors.ts';
import type { ListedObject, ObjectStore } from '../engine/item-readers/object-store.ts';

/** The item readers' and result writer's S3, through the real SDK client (bodies streamed). */
export function s3ObjectStore(s3: S3Client): ObjectStore {
  return {
    async getObject(bucket, key, versionId) {
      try {
        const out = await s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
        );
        return out.Body as Readable;
      } catch (error) {
        throw new StatesError(`S3.${(error as Error).name}`, (error as Error).message);
      }
    },
    async putObject(bucket, key, body, contentLength) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ...(contentLength !== undefined ? { ContentLength: contentLength } : {}),
          ContentType: 'application/json',
        }),
      );
    },
    async *listObjects(bucket, prefix) {
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            ...(prefix ? { Prefix: prefix } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const o of page.Contents ?? []) {
          const listed: ListedObject = {
            Etag: o.ETag ?? '',
            Key: o.Key ?? '',
            LastModified: o.LastModified?.toISOString() ?? '',
            Size: o.Size ?? 0,
            StorageClass: o.StorageClass ?? 'STANDARD',
          };
          yield listed;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}
