import { describe, expect, it } from '@jest/globals';
import { decodeJsonNumber } from '../../../local/engine/item-readers/json-number.ts';
import { readItems, type ItemReaderRequest } from '../../../local/engine/item-readers/read-items.ts';
import { memoryObjectStore } from '../../support/memory-object-store.ts';

// Each literal with what an item holds for it: the double JSON.parse gives when it is the number
// the text says, else the text itself (never Infinity, which the JSON between states writes as
// null, nor 0 for a non-zero, nor an integer with other digits).
const cases: [string, number | string][] = [
  ['1.5', 1.5],
  ['0.1', 0.1],
  ['-0', -0],
  ['0e-400', 0],
  ['9007199254740991', 9007199254740991],
  ['-9007199254740991', -9007199254740991],
  ['1e300', 1e300],
  ['1.7976931348623157e308', 1.7976931348623157e308],
  ['1e400', '1e400'],
  ['-1E+999', '-1E+999'],
  ['1e-400', '1e-400'],
  ['12345678901234567890', '12345678901234567890'],
  ['9007199254740993', '9007199254740993'],
  ['18446744073709551616', '18446744073709551616'],
];

async function collect(key: string, body: string, InputType: string): Promise<unknown[]> {
  const store = memoryObjectStore({ [`b/${key}`]: body });
  const request: ItemReaderRequest = {
    resource: 'arn:aws:states:::s3:getObject',
    parameters: { Bucket: 'b', Key: key },
    readerConfig: { InputType },
  };
  const items: unknown[] = [];
  for await (const item of readItems(request, store)) items.push(item);
  return items;
}

describe('JSON numbers a double cannot hold', () => {
  it.each(cases)('decodeJsonNumber(%s) → %p', (text, expected) => {
    expect(decodeJsonNumber(text)).toEqual(expected);
  });

  it('the JSON reader keeps their text and every other value as JSON.parse gives it', async () => {
    const body = `[${cases.map(([text]) => `{"n":${text},"s":"1e400","x":[${text}]}`).join(',')}]`;

    const items = await collect('numbers.json', body, 'JSON');

    expect(items).toEqual(cases.map(([, n]) => ({ n, s: '1e400', x: [n] })));
  });

  it('the JSONL reader keeps their text and every other value as JSON.parse gives it', async () => {
    const body = `${cases.map(([text]) => `{"n":${text},"s":"1e400","x":[${text}]}`).join('\n')}\n{"plain":12}\n`;

    const items = await collect('numbers.jsonl', body, 'JSONL');

    expect(items).toEqual([...cases.map(([, n]) => ({ n, s: '1e400', x: [n] })), { plain: 12 }]);
  });
});
