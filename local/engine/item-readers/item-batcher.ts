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
 */
export async function* batchItems(
  items: AsyncIterable<unknown>,
  config: BatcherConfig,
): AsyncGenerator<Batch> {
  const maxItems = config.maxItemsPerBatch ?? Infinity;
  const maxBytes = config.maxInputBytesPerBatch ?? Infinity;
  const envelope = (batch: unknown[]): Batch =>
    config.batchInput === undefined ? { Items: batch } : { BatchInput: config.batchInput, Items: batch };
  // `{"BatchInput":…,"Items":[]}`: the bytes every batch carries before its first item.
  const baseBytes = Buffer.byteLength(JSON.stringify(envelope([])));

  let batch: unknown[] = [];
  let bytes = baseBytes;
  for await (const item of items) {
    // The item's JSON plus the comma that separates it from the previous one.
    const itemBytes = Buffer.byteLength(JSON.stringify(item) ?? 'null');
    if (batch.length && (batch.length >= maxItems || bytes + 1 + itemBytes > maxBytes)) {
      yield envelope(batch);
      batch = [];
      bytes = baseBytes;
    }
    bytes += itemBytes + (batch.length ? 1 : 0);
    batch.push(item);
  }
  if (batch.length) yield envelope(batch);
}
