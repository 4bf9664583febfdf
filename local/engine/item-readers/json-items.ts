import { Transform, type Readable } from 'node:stream';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { decodeJsonNumber } from './json-number.ts';

const failed = (message: string) => new StatesError(StatesErrorNames.ItemReaderFailed, message);

interface Token {
  name: string;
  value?: unknown;
}

/**
 * Between the parser and the assembler: a number a double cannot hold becomes a string token of
 * its text, so the assembled item keeps what the file said (see json-number.ts).
 */
function keepUnfaithfulNumbers(): Transform {
  return new Transform({
    objectMode: true,
    transform(token: Token, _encoding, done) {
      if (token.name === 'numberValue' && typeof token.value === 'string') {
        const value = decodeJsonNumber(token.value);
        if (typeof value === 'string') return done(null, { name: 'stringValue', value });
      }
      done(null, token);
    },
  });
}

/**
 * Streams the elements of a JSON array object one by one (a 1 GB file is never held in memory).
 * Anything but a top-level array is `States.ItemReaderFailed`, as on AWS.
 */
export async function* readJsonItems(body: Readable): AsyncGenerator<unknown> {
  // Values come packed (one token each); the streamed pieces would only be skipped by the assembler.
  const tokens = body.pipe(parser.asStream({ streamValues: false }));
  const numbers = tokens.pipe(keepUnfaithfulNumbers());
  const elements = numbers.pipe(streamArray.asStream());
  // Errors of the earlier stages do not travel down a pipe: forward them.
  tokens.on('error', (error: Error) => elements.destroy(error));
  numbers.on('error', (error: Error) => elements.destroy(error));
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
