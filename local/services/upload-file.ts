import { createReadStream } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** The part size of a multipart upload: the file's ETag depends on it (see file-etag.ts). */
export const PART_BYTES = 8 * 1024 * 1024;

/**
 * Uploads a file as the AWS CLI does: one PutObject when it is a part or less, else a multipart
 * upload in 8 MiB parts with one in flight — a gigabyte file holds about two parts in memory
 * (Upload buffers the part it sends and the one it reads).
 */
export async function uploadFile(s3: S3Client, bucket: string, key: string, path: string): Promise<void> {
  await new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: createReadStream(path) },
    partSize: PART_BYTES,
    queueSize: 1,
  }).done();
}
