import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type pg from 'pg';
import { batchItems } from '../../local/engine/item-readers/item-batcher.ts';
import { readItems } from '../../local/engine/item-readers/read-items.ts';
import type { ObjectStore } from '../../local/engine/item-readers/object-store.ts';
import { loadBatch } from '../../functions/load/load.ts';
import { summariseFile, type FileSummary } from '../../functions/notify/notify.ts';
import { createLookupPort } from '../../functions/shared/db.ts';
import type { Batch } from '../../functions/shared/schemas.ts';
import { getDataset } from '../../workflow/datasets/index.ts';
import { StatesError } from '../../local/engine/errors.ts';
import { stageBatch } from './pipeline-stages.ts';

const inputTypes = { csv: 'CSV', json: 'JSON', jsonl: 'JSONL' } as const;

// Local files stand in for S3 objects: the bucket is ignored and the key is a path.
const fileStore: ObjectStore = {
  getObject: async (_bucket, key) => createReadStream(key),
  putObject: () => Promise.reject(new Error('read-only')),
  listObjects: () => (async function* () {})(),
};

/**
 * Runs one file as the pipeline's Distributed Map does — the emulator's real ItemReader, batches
 * of 100 `{index, value}` items, the four stage functions and the load — without Step Functions,
 * and returns the summary notify would publish with the number of items the reader gave. A file
 * the ItemReader refuses is FAILED.
 */
export async function ingestFile(
  path: string,
  dataset: string,
  pool: pg.Pool,
): Promise<FileSummary & { items: number }> {
  const format = path.slice(path.lastIndexOf('.') + 1) as keyof typeof inputTypes;
  const file = { id: `s3://chute/input/${dataset}/${basename(path)}#local`, bucket: 'chute', key: path };
  const startedAt = new Date().toISOString();
  const notifyInput = {
    file,
    dataset,
    executionArn: 'arn:aws:states:local:0:execution:pipeline:test',
    startedAt,
  };
  let index = 0;
  async function* items() {
    const reader = { resource: 'arn:aws:states:::s3:getObject', parameters: { Bucket: 'chute', Key: path } };
    for await (const value of readItems(
      { ...reader, readerConfig: { InputType: inputTypes[format] } },
      fileStore,
    )) {
      yield { index: index++, value };
    }
  }
  try {
    const batches = batchItems(items(), {
      maxItemsPerBatch: 100,
      batchInput: { file, dataset, executionArn: notifyInput.executionArn },
    });
    for await (const batch of batches) {
      const staged = await stageBatch(batch as Batch, createLookupPort(pool));
      await loadBatch(staged, getDataset(dataset), pool);
    }
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    const failure = { Error: error.error, Cause: error.causeText ?? '' };
    const summary = await summariseFile(
      { ...notifyInput, status: 'FAILED', error: failure },
      getDataset(dataset),
      pool,
      new Date(),
    );
    return { ...summary, items: index };
  }
  const summary = await summariseFile(
    { ...notifyInput, status: 'SUCCEEDED' },
    getDataset(dataset),
    pool,
    new Date(),
  );
  return { ...summary, items: index };
}
