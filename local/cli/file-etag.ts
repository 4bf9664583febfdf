import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PART_BYTES } from '../services/upload-file.ts';

/**
 * The ETag S3 will give the file when `uploadFile` sends it: the MD5 of the bytes for one
 * PutObject, or for a multipart upload the MD5 of the parts' MD5s followed by `-<parts>`. Known
 * before uploading, it names the file's ledger entry (`s3://bucket/key#etag`).
 */
export async function fileEtag(path: string): Promise<string> {
  const parts: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    for (let offset = 0; offset < chunk.length;) {
      const take = Math.min(PART_BYTES - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      offset += take;
      inPart += take;
      if (inPart === PART_BYTES) {
        parts.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0 || parts.length === 0) parts.push(part.digest());
  if (parts.length === 1) return parts[0]!.toString('hex');
  return `${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-${parts.length}`;
}
