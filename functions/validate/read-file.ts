import { Readable } from 'node:stream';
import { z } from 'zod';
import { StatesError } from '../../local/engine/errors.ts';
import { readCsvItems } from '../../local/engine/item-readers/csv-items.ts';
import { readJsonItems } from '../../local/engine/item-readers/json-items.ts';
import { readJsonlItems } from '../../local/engine/item-readers/jsonl-items.ts';
import { Batching } from '../../workflow/batching.ts';
import { UnreadableFileError } from '../shared/errors.ts';
import { BatchInputSchema, type Item } from '../shared/schemas.ts';

/**
 * What validate receives for a small file of a batch: the file (in `BatchInput`, as a row batch
 * carries it) and its format; validate reads the rows itself.
 */
export const FileReferenceSchema = z.object({
  BatchInput: BatchInputSchema,
  format: z.enum(['csv', 'json', 'jsonl']),
});
export type FileReference = z.infer<typeof FileReferenceSchema>;

/** Where a file's bytes come from (S3 GetObject in the handler): its size first, the bytes on demand. */
export type ReadObject = (
  bucket: string,
  key: string,
) => Promise<{ size: number; bytes: () => Promise<Uint8Array> }>;

/**
 * The file's items, exactly as the Distributed Map's ItemReader would give them: its own readers
 * are used (CSV header first row with Step Functions' backslash rules, every value a string;
 * JSON a top-level array; JSONL one value per non-blank line; numbers a double cannot hold kept
 * as their text). csv-parse cannot follow those backslash rules, so it is not used here.
 * Anything unreadable is an UnreadableFileError naming the file.
 */
export async function readFileItems(reference: FileReference, readObject: ReadObject): Promise<Item[]> {
  const { bucket, key } = reference.BatchInput.file;
  const object = await readObject(bucket, key);
  // Never read a big file whole: its rows would not fit a state's payload anyway.
  if (object.size > Batching.smallFileMaxBytes) {
    throw new UnreadableFileError(
      `s3://${bucket}/${key} has ${object.size} bytes, over the ${Batching.smallFileMaxBytes} of a small file: it needs its own execution`,
    );
  }
  const body = Readable.from([Buffer.from(await object.bytes())]);
  const values =
    reference.format === 'csv'
      ? readCsvItems(body, { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' })
      : reference.format === 'json'
        ? readJsonItems(body)
        : readJsonlItems(body);
  const items: Item[] = [];
  try {
    for await (const value of values) items.push({ index: items.length, value });
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    throw new UnreadableFileError(
      `s3://${bucket}/${key} is not readable as ${reference.format}: ${error.causeText ?? error.message}`,
      {
        cause: error,
      },
    );
  }
  return items;
}
