import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { StatesError } from '../engine/errors.ts';
import type { ListedObject, ObjectStore } from '../engine/item-readers/object-store.ts';

const PART_BYTES = 8 * 1024 * 1024;

/** A large stream as a multipart upload, holding one 8 MiB part in memory at a time. */
async function putInParts(s3: S3Client, bucket: string, key: string, body: Readable): Promise<void> {
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'application/json' }),
  );
  const parts: { ETag: string; PartNumber: number }[] = [];
  const send = async (chunk: Buffer) => {
    const PartNumber = parts.length + 1;
    const { ETag } = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber,
        Body: chunk,
        ContentLength: chunk.length,
      }),
    );
    parts.push({ ETag: ETag!, PartNumber });
  };
  try {
    let pending: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      pending.push(Buffer.from(chunk as Buffer));
      size += (chunk as Buffer).length;
      if (size >= PART_BYTES) {
        await send(Buffer.concat(pending));
        pending = [];
        size = 0;
      }
    }
    if (size > 0 || parts.length === 0) await send(Buffer.concat(pending));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } catch (error) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => {});
    throw error;
  }
}

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
      if (typeof body !== 'string' && (contentLength === undefined || contentLength > PART_BYTES)) {
        await putInParts(s3, bucket, key, body);
        return;
      }
      const length = contentLength !== undefined ? { ContentLength: contentLength } : {};
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ...length,
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
