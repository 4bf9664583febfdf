import { withJsonText } from '../limits.ts';

/** `ItemBatcher` of a Distributed Map, its Path forms already resolved. */
export interface BatcherConfig {
  maxItemsPerBatch?: number;
  maxInputBytesPerBatch?: number;
  batchInput?: unknown;
}

export interface Batch {
  BatchInput?: unknown;
  Items: unknown[];
}

/**
 * Groups items into the `{BatchInput, Items}` envelope each child execution receives, closing a
 * batch at MaxItemsPerBatch items or before it would pass MaxInputBytesPerBatch bytes of JSON.
 * An item bigger than the byte limit on its own travels alone (the child then meets the payload
 * limit, as on AWS, rather than the item being dropped).
 *
 * Each item is serialised once, to count its bytes, and the batch's `Items` text is made of those
 * texts: the Map Run's payload check and the child's input then reuse it (`jsonText`) instead of
 * serialising the whole batch a second time.
 */
export async function* batchItems(
  items: AsyncIterable<unknown>,
  config: BatcherConfig,
): AsyncGenerator<Batch> {
  const maxItems = config.maxItemsPerBatch ?? Infinity;
  const maxBytes = config.maxInputBytesPerBatch ?? Infinity;
  const envelope = (batch: unknown[], itemTexts: string): Batch => {
    const Items = withJsonText(batch, `[${itemTexts}]`);
    return config.batchInput === undefined ? { Items } : { BatchInput: config.batchInput, Items };
  };
  // `{"BatchInput":…,"Items":[]}`: the bytes every batch carries before its first item.
  const baseBytes = Buffer.byteLength(JSON.stringify(envelope([], '')));

  let batch: unknown[] = [];
  let itemTexts = '';
  let bytes = baseBytes;
  for await (const item of items) {
    // The item's JSON plus the comma that separates it from the previous one. An item JSON
    // cannot encode (undefined) is `null` inside an array, as JSON.stringify writes it.
    const itemText = JSON.stringify(item) ?? 'null';
    const itemBytes = Buffer.byteLength(itemText);
    if (batch.length && (batch.length >= maxItems || bytes + 1 + itemBytes > maxBytes)) {
      yield envelope(batch, itemTexts);
      batch = [];
      itemTexts = '';
      bytes = baseBytes;
    }
    bytes += itemBytes + (batch.length ? 1 : 0);
    itemTexts += batch.length ? `,${itemText}` : itemText;
    batch.push(item);
  }
  if (batch.length) yield envelope(batch, itemTexts);
}
