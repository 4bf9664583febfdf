import { describe, expect, it, jest } from '@jest/globals';
import {
  batchItems,
  type Batch,
  type BatcherConfig,
} from '../../../local/engine/item-readers/item-batcher.ts';
import { jsonText } from '../../../local/engine/limits.ts';

async function batches(items: unknown[], config: BatcherConfig): Promise<Batch[]> {
  const out: Batch[] = [];
  async function* source() {
    yield* items;
  }
  for await (const batch of batchItems(source(), config)) out.push(batch);
  return out;
}

describe('batchItems', () => {
  it('closes a batch at MaxItemsPerBatch and carries BatchInput', async () => {
    const result = await batches([1, 2, 3, 4, 5], { maxItemsPerBatch: 2, batchInput: { file: 'f' } });

    expect(result).toEqual([
      { BatchInput: { file: 'f' }, Items: [1, 2] },
      { BatchInput: { file: 'f' }, Items: [3, 4] },
      { BatchInput: { file: 'f' }, Items: [5] },
    ]);
  });

  it('never lets a batch pass MaxInputBytesPerBatch', async () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ id: i, text: 'x'.repeat(i) }));
    const maxInputBytesPerBatch = 300;

    const result = await batches(items, { maxInputBytesPerBatch, batchInput: { a: 1 } });

    for (const batch of result) expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(300);
    expect(result.flatMap((batch) => batch.Items)).toEqual(items);
  });

  it('sends an item bigger than the byte limit on its own, never drops it', async () => {
    const big = 'y'.repeat(100);

    const result = await batches(['a', big, 'b'], { maxInputBytesPerBatch: 40 });

    expect(result.map((batch) => batch.Items)).toEqual([['a'], [big], ['b']]);
  });

  it('yields nothing for no items', async () => {
    expect(await batches([], { maxItemsPerBatch: 10 })).toEqual([]);
  });

  it("makes a batch's JSON text from its items' texts, the same as JSON.stringify, without serialising the batch again", async () => {
    // Prepare: items JSON writes in ways of its own (undefined members, toJSON, nesting).
    const items = [
      { index: 0, value: { a: 'x"y', b: undefined } },
      { index: 1, value: { when: new Date(0), list: [1, undefined, 'é'] } },
      undefined,
      { index: 3, value: null },
    ];
    const [batch] = await batches(items, { maxItemsPerBatch: 10, batchInput: { file: 'f' } });
    const stringify = jest.spyOn(JSON, 'stringify');

    // Act
    const text = jsonText(batch);

    // Assess
    const wholeBatchEncodes = stringify.mock.calls.filter(
      ([value]) => value === batch || value === batch!.Items,
    );
    stringify.mockRestore();
    expect(text).toBe(JSON.stringify(batch));
    expect(wholeBatchEncodes).toEqual([]);
  });
});
