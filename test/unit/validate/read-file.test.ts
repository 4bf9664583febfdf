import { describe, expect, it } from '@jest/globals';
import { readFileItems, type FileReference } from '../../../functions/validate/read-file.ts';
import { Batching } from '../../../workflow/batching.ts';

const reference = (format: FileReference['format']): FileReference => ({
  BatchInput: {
    file: { id: `s3://b/input/x/f.${format}#e`, bucket: 'b', key: `input/x/f.${format}` },
    dataset: 'x',
    executionArn: 'arn:aws:states:us-east-1:0:execution:m:e',
  },
  format,
});

/** An object store holding one file; `read` counts whether the bytes were fetched. */
function store(text: string | Buffer) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const seen = { read: 0 };
  const readObject = async () => ({
    size: bytes.byteLength,
    bytes: async () => (seen.read++, new Uint8Array(bytes)),
  });
  return { readObject, seen };
}

const values = async (format: FileReference['format'], text: string | Buffer) =>
  (await readFileItems(reference(format), store(text).readObject)).map((item) => item.value);

describe('reading a small file as the ItemReader does (functions/validate/read-file.ts)', () => {
  it('CSV: header from the first row, every value a string, short rows padded, long rows cut, blank lines skipped', async () => {
    expect(await values('csv', '\uFEFFa,b\r\n1,2\n\n3\n4,5,6\n"x,y",\\"q\n')).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '' },
      { a: '4', b: '5' },
      { a: 'x,y', b: '"q' },
    ]);
  });

  it('gives each item its index in the file', async () => {
    const items = await readFileItems(reference('jsonl'), store('{"n":1}\n\n{"n":2}\n').readObject);
    expect(items).toEqual([
      { index: 0, value: { n: 1 } },
      { index: 1, value: { n: 2 } },
    ]);
  });

  it('JSON: the elements of a top-level array; a number a double cannot hold stays its text', async () => {
    expect(await values('json', '[{"id": 1}, {"id": 12345678901234567890}, "s"]')).toEqual([
      { id: 1 },
      { id: '12345678901234567890' },
      's',
    ]);
  });

  it('JSONL: one value per non-blank line', async () => {
    expect(await values('jsonl', '{"a":1}\n   \n[2]\n"three"\n')).toEqual([{ a: 1 }, [2], 'three']);
  });

  it.each([
    [
      'json',
      '{"not": "an array"}',
      /is not readable as json: The JSON object must contain an array at the top level/,
    ],
    ['json', '[{"a": 1}, {"a": ', /is not readable as json: The JSON could not be parsed/],
    ['jsonl', '{"a":1}\n{oops}\n', /is not readable as jsonl: Line 2 of the JSONL object is not valid JSON/],
    ['csv', 'a,a\n1,2\n', /is not readable as csv: The CSV header has the column 'a' more than once/],
  ] as const)(
    'a malformed %s file is an UnreadableFileError naming the file',
    async (format, text, message) => {
      const reading = readFileItems(reference(format), store(text).readObject);
      await expect(reading).rejects.toMatchObject({ name: 'UnreadableFileError' });
      await expect(reading).rejects.toThrow(message);
      await expect(reading).rejects.toThrow(`s3://b/input/x/f.${format}`);
    },
  );

  it('refuses a file over the small-file size without reading it', async () => {
    const { readObject, seen } = store(Buffer.alloc(Batching.smallFileMaxBytes + 1, 'a'));
    await expect(readFileItems(reference('csv'), readObject)).rejects.toThrow(/needs its own execution/);
    expect(seen.read).toBe(0);
  });
});
