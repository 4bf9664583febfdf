import { Readable } from 'node:stream';
import { StatesError } from '../../local/engine/errors.ts';
import type { ListedObject, ObjectStore } from '../../local/engine/item-readers/object-store.ts';

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An in-memory S3 behind the item readers' port, for unit tests of the parsing and batching
 * rules; the e2e tests read and write through the real local S3.
 */
export function memoryObjectStore(objects: Record<string, string | Buffer> = {}): ObjectStore & {
  objects: Record<string, string | Buffer>;
} {
  return {
    objects,
    async getObject(bucket, key) {
      const body = objects[`${bucket}/${key}`];
      if (body === undefined) throw new StatesError('S3.NoSuchKey', 'The specified key does not exist.');
      return Readable.from([Buffer.from(body)]);
    },
    async putObject(bucket, key, body) {
      objects[`${bucket}/${key}`] = typeof body === 'string' ? body : await text(body);
    },
    async *listObjects(bucket, prefix = '') {
      for (const [path, body] of Object.entries(objects)) {
        const key = path.slice(bucket.length + 1);
        if (!path.startsWith(`${bucket}/`) || !key.startsWith(prefix)) continue;
        const listed: ListedObject = {
          Etag: '"e"',
          Key: key,
          LastModified: '2026-01-01T00:00:00Z',
          Size: Buffer.byteLength(body),
          StorageClass: 'STANDARD',
        };
        yield listed;
      }
    },
  };
}
