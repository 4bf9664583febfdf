import { StatesError, StatesErrorNames } from '../errors.ts';
import { readCsvItems } from './csv-items.ts';
import { readJsonItems } from './json-items.ts';
import { readJsonlItems } from './jsonl-items.ts';
import { readManifestItems } from './manifest-items.ts';
import type { ObjectStore } from './object-store.ts';
import { ReaderConfigSchema } from './reader-config.ts';

/** An `ItemReader` with its Parameters/Arguments already evaluated. */
export interface ItemReaderRequest {
  resource: string;
  parameters: { Bucket?: unknown; Key?: unknown; Prefix?: unknown; VersionId?: unknown };
  readerConfig?: unknown;
}

const failed = (message: string) => new StatesError(StatesErrorNames.ItemReaderFailed, message);

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw failed(`The ItemReader needs a ${field}.`);
  return value;
}

async function* take<T>(items: AsyncIterable<T>, max: number | undefined): AsyncGenerator<T> {
  if (max === 0 || max === undefined) return yield* items;
  let count = 0;
  for await (const item of items) {
    yield item;
    if (++count >= max) return;
  }
}

/**
 * The items of a Distributed Map's ItemReader, streamed: an S3 object read as CSV, JSON, JSONL
 * or an inventory manifest (`s3:getObject`), or the objects under a prefix (`s3:listObjectsV2`).
 * Every failure is `States.ItemReaderFailed` with a message saying what was wrong.
 */
export async function* readItems(request: ItemReaderRequest, store: ObjectStore): AsyncGenerator<unknown> {
  const parsed = ReaderConfigSchema.safeParse(request.readerConfig ?? {});
  if (!parsed.success) throw failed(`Invalid ReaderConfig: ${parsed.error.issues[0]?.message ?? ''}`);
  const config = parsed.data;
  const bucket = requireString(request.parameters.Bucket, 'Bucket');
  const action = request.resource.replace(/^arn:aws[a-z-]*:states:::s3:/, '');

  if (action === 'listObjectsV2') {
    const prefix = request.parameters.Prefix;
    return yield* take(
      store.listObjects(bucket, typeof prefix === 'string' ? prefix : undefined),
      config.MaxItems,
    );
  }
  if (action !== 'getObject') throw failed(`Unsupported ItemReader resource ${request.resource}.`);

  const key = requireString(request.parameters.Key, 'Key');
  const versionId =
    typeof request.parameters.VersionId === 'string' ? request.parameters.VersionId : undefined;
  let body;
  try {
    body = await store.getObject(bucket, key, versionId);
  } catch (error) {
    const reason = error instanceof StatesError ? error.message : (error as Error).message;
    throw failed(`Could not read s3://${bucket}/${key}: ${reason}`);
  }
  switch (config.InputType) {
    case 'CSV':
      return yield* take(readCsvItems(body, config), config.MaxItems);
    case 'JSONL':
      return yield* take(readJsonlItems(body), config.MaxItems);
    case 'MANIFEST':
      return yield* take(readManifestItems(body, store), config.MaxItems);
    case 'JSON':
    case undefined:
      return yield* take(readJsonItems(body), config.MaxItems);
  }
}
