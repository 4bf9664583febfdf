import type { Readable } from 'node:stream';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { StatesError, StatesErrorNames } from '../errors.ts';

const failed = (message: string) => new StatesError(StatesErrorNames.ItemReaderFailed, message);

/**
 * Streams the elements of a JSON array object one by one (a 1 GB file is never held in memory).
 * Anything but a top-level array is `States.ItemReaderFailed`, as on AWS.
 */
export async function* readJsonItems(body: Readable): AsyncGenerator<unknown> {
  const tokens = body.pipe(parser.asStream());
  const elements = tokens.pipe(streamArray.asStream());
  // Errors of the first stage do not travel down a pipe: forward them.
  tokens.on('error', (error: Error) => elements.destroy(error));
  body.on('error', (error: Error) => elements.destroy(error));
  try {
    for await (const { value } of elements as AsyncIterable<{ value: unknown }>) yield value;
  } catch (error) {
    const message = (error as Error).message;
    throw failed(
      /top-level object should be an array/i.test(message)
        ? 'The JSON object must contain an array at the top level.'
        : `The JSON could not be parsed: ${message}`,
    );
  } finally {
    body.destroy();
  }
}
