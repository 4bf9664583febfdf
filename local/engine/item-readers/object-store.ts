import type { Readable } from 'node:stream';

/** One entry of an S3 listing, as the Distributed Map passes it to an iteration. */
export interface ListedObject {
  Etag: string;
  Key: string;
  LastModified: string;
  Size: number;
  StorageClass: string;
}

/**
 * The S3 the item readers read from. The engine has no AWS SDK: the local cloud implements this
 * port with the real S3 client against its endpoint.
 */
export interface ObjectStore {
  /** The object's body as a stream; rejects with a `StatesError` (e.g. `S3.NoSuchKey`) if absent. */
  getObject(bucket: string, key: string, versionId?: string): Promise<Readable>;
  /** Every object under the prefix, all pages. */
  listObjects(bucket: string, prefix?: string): AsyncIterable<ListedObject>;
  /** Writes an object (the ResultWriter's files), streaming a stream body. */
  putObject(bucket: string, key: string, body: string | Readable): Promise<void>;
}
