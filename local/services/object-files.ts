import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { encodeKeyToPath } from 'fauxqs';
import { pathStyleObject } from './path-style.ts';

/** Objects at least this big are streamed from their file; smaller ones are left to fauxqs. */
export const STREAMED_OBJECT_BYTES = 8 * 1024 * 1024;

interface ObjectMeta {
  key: string;
  contentType?: string;
  contentLength: number;
  etag: string;
  lastModified: string;
  metadata?: Record<string, string>;
  checksumAlgorithm?: string;
  checksumValue?: string;
  checksumType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
}

/**
 * fauxqs's file layout, `buckets/<bucket>/objects/<encodeKeyToPath(key)>.data`, through fauxqs's
 * own mapping (patches/fauxqs+2.4.1.patch exports it), which keeps every key inside its bucket's
 * directory. Undefined for a name that is not a bucket's: it could name another directory.
 */
function objectPath(storageDir: string, bucket: string, key: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) return undefined;
  const objects = join(storageDir, 'buckets', bucket, 'objects');
  const path = join(objects, encodeKeyToPath(key));
  return path.startsWith(objects + sep) ? path : undefined;
}

// A plain GetObject: no conditions, no part number (those stay with fauxqs).
const conditional = ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'];

/**
 * Answers a plain GetObject of a big object by streaming its file, with a Range if asked for.
 * fauxqs reads a whole object into memory to serve it; a 1 GB CSV under a Distributed Map must
 * not be. Returns false when the request is not one of those (fauxqs answers it).
 */
export async function serveObjectFile(
  storageDir: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (req.method !== 'GET' || conditional.some((header) => req.headers[header] !== undefined)) return false;
  const url = new URL(req.url ?? '/', 'http://local');
  if ([...url.searchParams.keys()].some((name) => name !== 'x-id')) return false;
  const object = pathStyleObject(req.url);
  const path = object && objectPath(storageDir, object.bucket, object.key);
  if (!path) return false;
  let meta: ObjectMeta;
  let size: number;
  try {
    size = (await stat(`${path}.data`)).size;
    if (size < STREAMED_OBJECT_BYTES) return false;
    meta = JSON.parse(await readFile(`${path}.meta.json`, 'utf8')) as ObjectMeta;
  } catch {
    return false;
  }
  if (meta.contentLength !== size) return false; // being rewritten: let fauxqs answer
  const range = byteRange(req.headers.range, size);
  if (range === 'unsatisfiable') return false; // fauxqs answers with its InvalidRange error
  const headers: Record<string, string | number> = {
    'accept-ranges': 'bytes',
    'content-type': meta.contentType ?? 'application/octet-stream',
    'content-length': range ? range.end - range.start + 1 : size,
    etag: meta.etag,
    'last-modified': new Date(meta.lastModified).toUTCString(),
    ...(meta.contentEncoding ? { 'content-encoding': meta.contentEncoding } : {}),
    ...(meta.contentDisposition ? { 'content-disposition': meta.contentDisposition } : {}),
    ...(meta.contentLanguage ? { 'content-language': meta.contentLanguage } : {}),
    ...(meta.cacheControl ? { 'cache-control': meta.cacheControl } : {}),
    ...Object.fromEntries(Object.entries(meta.metadata ?? {}).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${size}` } : {}),
    ...(range ? {} : storedChecksum(meta, req.headers['x-amz-checksum-mode'])),
  };
  res.writeHead(range ? 206 : 200, headers);
  createReadStream(`${path}.data`, range ?? {})
    .on('error', (error) => res.destroy(error))
    .pipe(res);
  return true;
}

/**
 * The object's stored checksum, when asked for with `x-amz-checksum-mode: ENABLED` (the SDK asks on
 * every GetObject), as fauxqs answers it: whole-object responses only, never a range's. Served
 * here, not left to fauxqs, because fauxqs reads the whole object into memory to answer, and the
 * SDK's Upload (upload-file.ts) stores a CRC32 with every upload it makes. A multipart object's is
 * COMPOSITE (`…-<parts>`), which the SDK does not validate; a FULL_OBJECT one it checks as it streams.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (ChecksumMode, x-amz-checksum-*)
 */
function storedChecksum(meta: ObjectMeta, mode: string | string[] | undefined): Record<string, string> {
  if (typeof mode !== 'string' || mode.toUpperCase() !== 'ENABLED') return {};
  if (!meta.checksumAlgorithm || !meta.checksumValue) return {};
  return {
    [`x-amz-checksum-${meta.checksumAlgorithm.toLowerCase()}`]: meta.checksumValue,
    ...(meta.checksumType ? { 'x-amz-checksum-type': meta.checksumType } : {}),
  };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range; anything else is served whole, as S3 does). */
function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1]!, match[2]!];
  const start = first === '' ? Math.max(size - Number(last), 0) : Number(first);
  const end = first === '' || last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}
