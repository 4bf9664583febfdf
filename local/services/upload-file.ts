import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** The part size of a multipart upload: the file's ETag depends on it (see file-etag.ts). */
export const PART_BYTES = 8 * 1024 * 1024;

// Not @aws-sdk/lib-storage's Upload (which s3-object-store.ts uses): Upload asks for a CRC32
// checksum on the multipart upload, and reading the checksummed object back in the Distributed
// Map then held far more live memory (test/e2e/cloud/large-objects.test.ts: 251 MB against a
// 48 MB bound). Until that read is bounded, the file is sent without an object checksum.

/**
 * Uploads a file as the AWS CLI does: one PutObject when small, a multipart upload in 8 MiB
 * parts (read one part at a time) when large — so a gigabyte file never sits in memory.
 */
export async function uploadFile(s3: S3Client, bucket: string, key: string, path: string): Promise<void> {
  const { size } = await stat(path);
  if (size <= PART_BYTES) {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(path), ContentLength: size }),
    );
    return;
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  try {
    const parts: { ETag: string; PartNumber: number }[] = [];
    for (let offset = 0, part = 1; offset < size; offset += PART_BYTES, part++) {
      const end = Math.min(offset + PART_BYTES, size);
      const body = createReadStream(path, { start: offset, end: end - 1 });
      const { ETag } = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber: part,
          Body: body,
          ContentLength: end - offset,
        }),
      );
      parts.push({ ETag: ETag!, PartNumber: part });
    }
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
