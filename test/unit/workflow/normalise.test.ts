import { describe, expect, it } from '@jest/globals';
import {
  collapseWhitespace,
  parseBoundedNumber,
  parseDate,
  parseDecimal,
  parseTimestamp,
} from '../../../workflow/normalise.ts';

describe('collapseWhitespace', () => {
  it.each([
    ['  a  b ', 'a b'],
    ['\ta\r\n b\u00a0c', 'a b c'],
    ['\ufeffheader', 'header'],
    ['注文　番号', '注文 番号'],
  ])('%j → %j', (input, expected) => expect(collapseWhitespace(input)).toBe(expected));
});

describe('parseDecimal', () => {
  it.each([
    ['1,234.50', 1234.5],
    ['1234', 1234],
    [' -0.5 ', -0.5],
    ['+3', 3],
    ['1e3', 1000],
    ['.25', 0.25],
    [12.5, 12.5],
    ['1,000,000', 1_000_000],
    ['0e-400', 0],
  ])('%j → %d', (input, expected) => expect(parseDecimal(input, 'n')).toEqual({ ok: true, value: expected }));

  it.each([
    ['1,23'],
    ['12,34,567'],
    ['abc'],
    [''],
    ['1.2.3'],
    ['NaN'],
    ['Infinity'],
    [Number.NaN],
    [true],
    ['1e999'],
    ['1e-400'],
    ['-0.5e-400'],
  ])('%j is refused with a reason naming the field', (input) => {
    const result = parseDecimal(input, 'unit_price');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^unit_price: /);
  });
});

describe('parseBoundedNumber', () => {
  it.each([
    ['0', { min: 1, max: 10 }, 'outside the allowed range'],
    ['11', { min: 1, max: 10 }, 'outside the allowed range'],
    ['2.5', { min: 1, max: 10, integer: true }, 'not a whole number'],
    ['99999999999999999999', { min: 0, max: 1e7 }, 'outside the allowed range'],
  ])('%j with %j is refused: %s', (input, bounds, reason) => {
    const result = parseBoundedNumber(input, 'q', bounds);
    expect(!result.ok && result.reason).toContain(reason);
  });
});

describe('parseDate', () => {
  it.each([
    ['2024-01-31', '2024-01-31'],
    ['2024/1/5', '2024-01-05'],
    ['31/01/2024', '2024-01-31'],
    ['01/31/2024', '2024-01-31'],
    ['05/05/2024', '2024-05-05'],
    ['31.01.2024', '2024-01-31'],
    ['Jan 31 2024', '2024-01-31'],
    ['January 31, 2024', '2024-01-31'],
    ['31 Jan 2024', '2024-01-31'],
    ['3 March 2024', '2024-03-03'],
    ['2024-01-31T23:30:00Z', '2024-01-31'],
    ['  2024-02-29 ', '2024-02-29'],
  ])('%j → %s', (input, expected) => expect(parseDate(input, 'd')).toEqual({ ok: true, value: expected }));

  it.each([
    ['03/04/2024', 'ambiguous'],
    ['2023-02-29', 'not a real date'],
    ['31/31/2024', 'not a real date'],
    ['yesterday', 'not a date in a known format'],
    ['0001-01-01', 'not a real date'],
    ['', 'not a date in a known format'],
  ])('%j is refused (%s)', (input, reason) => {
    const result = parseDate(input, 'order_date');
    expect(!result.ok && result.reason).toContain(reason);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2024-01-31T10:00:00Z', '2024-01-31T10:00:00.000Z'],
    ['2024-01-31T12:00:00+02:00', '2024-01-31T10:00:00.000Z'],
    ['2024-01-31 10:00:00.123', '2024-01-31T10:00:00.123Z'],
    [1706695200, '2024-01-31T10:00:00.000Z'],
    ['1706695200000', '2024-01-31T10:00:00.000Z'],
  ])('%j → %s', (input, expected) =>
    expect(parseTimestamp(input, 't')).toEqual({ ok: true, value: expected }),
  );

  it.each([['31/01/2024 10:00'], ['soon'], [-5], [{}], ['2024-13-01T00:00:00Z'], [1e17], [Number.NaN]])(
    '%j is refused',
    (input) => {
      expect(parseTimestamp(input, 't').ok).toBe(false);
    },
  );
});
