import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { StatesError } from '../engine/errors.ts';
import type { ListedObject, ObjectStore } from '../engine/item-readers/object-store.ts';

/** A multipart upload's part size: Upload holds about queueSize + 1 parts of a stream in memory. */
const PART_BYTES = 8 * 1024 * 1024;

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
    async putObject(bucket, key, body) {
      // One PutObject for a body of one part or less, else a multipart upload with one part in
      // flight: a result file of any size holds at most a part or two in memory.
      await new Upload({
        client: s3,
        params: { Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' },
        partSize: PART_BYTES,
        queueSize: 1,
      }).done();
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
