import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { keepUnfaithfulNumbers } from './json-number.ts';

// Only a number with 16 digits in a row or an exponent can lose digits as a double: other lines
// skip the reviver, which makes JSON.parse several times slower.
const mayLoseDigits = /\d{16}|\d[eE]/;

/**
 * Streams a JSON Lines object: one item per non-blank line; a line that is not JSON fails the read.
 * A number a double cannot hold is kept as its text (see json-number.ts).
 */
export async function* readJsonlItems(body: Readable): AsyncGenerator<unknown> {
  const lines = createInterface({ input: body, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (let line of lines) {
      lineNumber++;
      if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (line.trim() === '') continue;
      try {
        yield mayLoseDigits.test(line) ? JSON.parse(line, keepUnfaithfulNumbers) : JSON.parse(line);
      } catch (error) {
        throw new StatesError(
          StatesErrorNames.ItemReaderFailed,
          `Line ${lineNumber} of the JSONL object is not valid JSON: ${(error as Error).message}`,
        );
      }
    }
  } catch (error) {
    if (error instanceof StatesError) throw error;
    // The object's stream broke off (a connection reset): the reader failed, as the CSV one does.
    throw new StatesError(
      StatesErrorNames.ItemReaderFailed,
      `The JSONL object could not be read: ${(error as Error).message}`,
    );
  } finally {
    lines.close();
    body.destroy();
  }
}
