import { describe, expect, it } from '@jest/globals';
import { escapeUnstorable, findUnstorable } from '../../../functions/shared/unstorable.ts';

describe('findUnstorable', () => {
  it('finds nothing in ordinary text, emoji, numbers, booleans and null', () => {
    expect(findUnstorable({ a: 'naïve 注文 😀', b: 12.5, c: -0, d: true, e: null, f: [1, 'x'] })).toEqual([]);
  });

  it.each([
    ['NUL', { sku: 'a\u0000b' }, ['sku: contains a NUL character (U+0000), which PostgreSQL cannot store']],
    [
      'a lone high surrogate',
      { sku: 'a\ud83d' },
      ['sku: contains a lone UTF-16 surrogate (U+D83D), which is not a Unicode character'],
    ],
    [
      'a lone low surrogate',
      { sku: '\ude00b' },
      ['sku: contains a lone UTF-16 surrogate (U+DE00), which is not a Unicode character'],
    ],
    [
      'U+FFFD',
      { sku: '\ufffd' },
      [
        'sku: contains U+FFFD: the file has bytes that are not valid UTF-8 (is it UTF-16, compressed or binary?)',
      ],
    ],
    ['Infinity', { latency_ms: -Infinity }, ['latency_ms: -Infinity is not a finite number']],
    [
      'a NUL in a nested value',
      { tags: [{ name: 'x\u0000' }] },
      ['tags.0.name: contains a NUL character (U+0000), which PostgreSQL cannot store'],
    ],
    [
      'a NUL in a bare string record',
      'x\u0000',
      ['record: contains a NUL character (U+0000), which PostgreSQL cannot store'],
    ],
  ])('names the field and the problem of %s', (_, value, reasons) => {
    expect(findUnstorable(value)).toEqual(reasons);
  });

  it('reports bad field names once per object and does not look inside their values', () => {
    expect(findUnstorable({ 'a\u0000': 'b\u0000', 'c\u0000': 'd', ok: 'e\u0000' })).toEqual([
      'field names: one contains a NUL character (U+0000), which PostgreSQL cannot store',
      'ok: contains a NUL character (U+0000), which PostgreSQL cannot store',
    ]);
  });
});

describe('escapeUnstorable', () => {
  it('writes NUL and lone surrogates as \\uXXXX text in values and names, and keeps everything else', () => {
    const value = {
      'k\u0000': ['a\u0000b', 'c\ud83d', '\ude00', '😀', 'é\ufffd'],
      n: 1.5,
      i: Infinity,
      z: null,
    };

    expect(escapeUnstorable(value)).toEqual({
      'k\\u0000': ['a\\u0000b', 'c\\ud83d', '\\ude00', '😀', 'é\ufffd'],
      n: 1.5,
      i: 'Infinity',
      z: null,
    });
  });

  it('gives what findUnstorable finds storable, and is idempotent', () => {
    const escaped = escapeUnstorable({ a: 'x\u0000\ud800' });

    expect(findUnstorable(escaped)).toEqual([]);
    expect(escapeUnstorable(escaped)).toEqual(escaped);
  });

  it('keeps a field called __proto__ a field', () => {
    const escaped = escapeUnstorable(JSON.parse('{"__proto__": "x\\u0000"}')) as Record<string, unknown>;

    expect(Object.keys(escaped)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(escaped)).toBe(Object.prototype);
  });
});
