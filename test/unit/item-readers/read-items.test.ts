import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { ListedObject, ObjectStore } from '../../../local/engine/item-readers/object-store.ts';
import { readItems, type ItemReaderRequest } from '../../../local/engine/item-readers/read-items.ts';
import { memoryObjectStore as storeOf } from '../../support/memory-object-store.ts';

async function collect(request: ItemReaderRequest, store: ObjectStore): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of readItems(request, store)) out.push(item);
  return out;
}

const getObject = (Key: string, readerConfig?: unknown): ItemReaderRequest => ({
  resource: 'arn:aws:states:::s3:getObject',
  parameters: { Bucket: 'b', Key },
  readerConfig,
});

describe('readItems', () => {
  const store = storeOf({
    'b/array.json': '[{"id":1},{"id":2,"nested":{"x":[1,2]}},"three"]',
    'b/object.json': '{"items":[1,2]}',
    'b/broken.json': '[{"id":1},{"id":',
    'b/lines.jsonl': '{"id":1}\r\n\n{"id":2}\n',
    'b/bad-line.jsonl': '{"id":1}\n{oops}\n{"id":3}\n',
    'b/rows.csv': 'id\n1\n2\n3\n',
    'b/inventory/manifest.json': JSON.stringify({
      sourceBucket: 'src',
      destinationBucket: 'arn:aws:s3:::b',
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key, Size',
      files: [{ key: 'inventory/data/1.csv.gz' }],
    }),
    'b/inventory/data/1.csv.gz': gzipSync('"src","a.txt","12"\n"src","b/c.txt","7"\n'),
  });

  it('streams the elements of a JSON array', async () => {
    expect(await collect(getObject('array.json', { InputType: 'JSON' }), store)).toEqual([
      { id: 1 },
      { id: 2, nested: { x: [1, 2] } },
      'three',
    ]);
  });

  it.each([
    ['a JSON object that is not an array', 'object.json', { InputType: 'JSON' }, /array at the top level/],
    ['truncated JSON', 'broken.json', { InputType: 'JSON' }, /could not be parsed/],
    ['a JSONL line that is not JSON', 'bad-line.jsonl', { InputType: 'JSONL' }, /Line 2 .*not valid JSON/],
    ['a missing object', 'missing.csv', { InputType: 'CSV' }, /Could not read s3:\/\/b\/missing.csv/],
    ['an unknown InputType', 'rows.csv', { InputType: 'XML' }, /Invalid ReaderConfig/],
  ])('fails with States.ItemReaderFailed on %s', async (_case, key, config, message) => {
    await expect(collect(getObject(key, config), store)).rejects.toMatchObject({
      error: 'States.ItemReaderFailed',
      message,
    });
  });

  it('reads JSON Lines, skipping blank lines', async () => {
    expect(await collect(getObject('lines.jsonl', { InputType: 'JSONL' }), store)).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });

  it('stops at MaxItems', async () => {
    const request = getObject('rows.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', MaxItems: 2 });
    expect(await collect(request, store)).toEqual([{ id: '1' }, { id: '2' }]);
  });

  it('reads the objects of an S3 inventory manifest', async () => {
    expect(await collect(getObject('inventory/manifest.json', { InputType: 'MANIFEST' }), store)).toEqual([
      { Bucket: 'src', Key: 'a.txt', Size: '12' },
      { Bucket: 'src', Key: 'b/c.txt', Size: '7' },
    ]);
  });

  // An S3 body that failed mid-read (a connection reset) under a gunzip emitted 'error' with no
  // listener: an uncaught exception that ended the process instead of the Map Run.
  it('fails with States.ItemReaderFailed when an inventory data file breaks off mid-read', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const gz = gzipSync('"src","a.txt","12"\n'.repeat(10_000));
    const breaking: ObjectStore = {
      ...store,
      async getObject(bucket, key) {
        if (!key.endsWith('.gz')) return store.getObject(bucket, key);
        return new Readable({
          read() {
            this.push(gz.subarray(0, 100));
            this.destroy(new Error('socket hang up'));
          },
        });
      },
    };

    const read = collect(getObject('inventory/manifest.json', { InputType: 'MANIFEST' }), breaking);

    await expect(read).rejects.toMatchObject({
      error: 'States.ItemReaderFailed',
      causeText: expect.stringContaining('socket hang up'),
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off('uncaughtException', onUncaught);
    expect(uncaught).toEqual([]);
  });

  it('fails with States.ItemReaderFailed when a JSONL object breaks off mid-read', async () => {
    const breaking: ObjectStore = {
      ...store,
      getObject: async () =>
        new Readable({
          read() {
            this.push('{"id":1}\n{"id":');
            this.destroy(new Error('socket hang up'));
          },
        }),
    };

    const read = collect(getObject('lines.jsonl', { InputType: 'JSONL' }), breaking);

    await expect(read).rejects.toMatchObject({
      error: 'States.ItemReaderFailed',
      causeText: 'The JSONL object could not be read: socket hang up',
    });
  });

  it('lists the objects under a prefix with listObjectsV2', async () => {
    const request: ItemReaderRequest = {
      resource: 'arn:aws:states:::s3:listObjectsV2',
      parameters: { Bucket: 'b', Prefix: 'inventory/' },
    };
    const listed = (await collect(request, store)) as ListedObject[];
    expect(listed.map((o) => o.Key)).toEqual(['inventory/manifest.json', 'inventory/data/1.csv.gz']);
  });
});
