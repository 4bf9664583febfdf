import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { readCsvItems } from '../../../local/engine/item-readers/csv-items.ts';
import type { ReaderConfig } from '../../../local/engine/item-readers/reader-config.ts';

async function items(text: string, config: ReaderConfig = {}, chunkSize = 64 * 1024): Promise<unknown[]> {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const out: unknown[] = [];
  for await (const item of readCsvItems(Readable.from(chunks), config)) out.push(item);
  return out;
}

describe('readCsvItems', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/example-csv-parse-dist-map.html
  it('parses the example file of the AWS documentation', async () => {
    const file =
      'abc,123,"This string contains commas, a double quotation marks (""), and a newline (\n)",{""MyKey"":""MyValue""},"[1,2,3]"\n';
    const config: ReaderConfig = {
      CSVHeaderLocation: 'GIVEN',
      CSVHeaders: ['MyLetters', 'MyNumbers', 'MyString', 'MyObject', 'MyArray'],
    };

    expect(await items(file, config)).toEqual([
      {
        MyLetters: 'abc',
        MyNumbers: '123',
        MyString: 'This string contains commas, a double quotation marks ("), and a newline (\n)',
        MyObject: '{"MyKey":"MyValue"}',
        MyArray: '[1,2,3]',
      },
    ]);
  });

  it.each([
    [
      'header row, LF',
      'a,b\n1,2\n3,4\n',
      [
        { a: '1', b: '2' },
        { a: '3', b: '4' },
      ],
    ],
    [
      'CRLF line ends',
      'a,b\r\n1,2\r\n3,4\r\n',
      [
        { a: '1', b: '2' },
        { a: '3', b: '4' },
      ],
    ],
    ['no newline at the end', 'a,b\n1,2', [{ a: '1', b: '2' }]],
    ['a byte-order mark', '\ufeffa,b\n1,2\n', [{ a: '1', b: '2' }]],
    ['blank lines are no rows', 'a,b\n\n1,2\n\n', [{ a: '1', b: '2' }]],
    ['short row: empty strings', 'a,b,c\n1\n', [{ a: '1', b: '', c: '' }]],
    ['long row: extra fields skipped', 'a,b\n1,2,3,4\n', [{ a: '1', b: '2' }]],
    ['quoted delimiter and CRLF inside', 'a,b\n"x,\r\ny",2\n', [{ a: 'x,\r\ny', b: '2' }]],
    [
      'escaped backslashes',
      'path,size\nC:\\\\Program Files\\\\MyApp.exe,6534512\n',
      [{ path: 'C:\\Program Files\\MyApp.exe', size: '6534512' }],
    ],
    ['backslash before the delimiter', 'a,b\n1\\,5,2\n', [{ a: '1,5', b: '2' }]],
    ['backslash before another character is dropped', 'a\n\\x\\y\n', [{ a: 'xy' }]],
    ['an empty quoted field is a row', 'a\n""\n', [{ a: '' }]],
    ['unicode', 'name\nZoë 😀 東京\n', [{ name: 'Zoë 😀 東京' }]],
    ['header only', 'a,b\n', []],
    ['empty file', '', []],
  ])('%s', async (_case, text, expected) => {
    expect(await items(text)).toEqual(expected);
  });

  it.each([
    ['PIPE', 'a|b\n1|2\n'],
    ['SEMICOLON', 'a;b\n1;2\n'],
    ['TAB', 'a\tb\n1\t2\n'],
    ['SPACE', 'a b\n1 2\n'],
  ] as const)('reads the %s delimiter', async (delimiter, text) => {
    expect(await items(text, { CSVDelimiter: delimiter })).toEqual([{ a: '1', b: '2' }]);
  });

  it('gives the same items whatever the chunk boundaries', async () => {
    const text = '\ufeffid,note\r\n1,"a ""quoted"", multi\r\nline"\r\n2,C:\\\\x\\,y\r\n3,""""\r\n';

    const whole = await items(text);
    const byteByByte = await items(text, {}, 1);

    expect(byteByByte).toEqual(whole);
    expect(whole).toEqual([
      { id: '1', note: 'a "quoted", multi\r\nline' },
      { id: '2', note: 'C:\\x,y' },
      { id: '3', note: '"' },
    ]);
  });

  it.each([
    ['a duplicate column name', 'a,b,a\n1,2,3\n', /column 'a' more than once/],
    ['an unterminated quote', 'a\n"open\n', /ends inside a quoted field/],
    ['a header over 10 KiB', `${'x'.repeat(11 * 1024)}\n1\n`, /10 KiB/],
  ])('fails with States.ItemReaderFailed on %s', async (_case, text, message) => {
    await expect(items(text)).rejects.toMatchObject({ error: 'States.ItemReaderFailed', message });
  });
});
