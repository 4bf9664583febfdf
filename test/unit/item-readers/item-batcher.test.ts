import { describe, expect, it } from '@jest/globals';
import {
  batchItems,
  type Batch,
  type BatcherConfig,
} from '../../../local/engine/item-readers/item-batcher.ts';

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
});
