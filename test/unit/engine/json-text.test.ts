import { describe, expect, it } from '@jest/globals';
import { jsonText, parseWhenRead } from '../../../local/engine/limits.ts';

describe('jsonText', () => {
  it('is JSON.stringify, also for an object around a member whose text is already made', () => {
    const payload = { rows: [{ id: 1, note: 'a "quoted" value' }], total: 1 };
    jsonText(payload);
    const wrappers: Record<string, unknown>[] = [
      { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 },
      { 2: 'two', b: payload, 1: 'one', a: undefined, f: () => 1, when: new Date(0), n: Number.NaN },
      Object.assign(Object.create(null) as object, { payload, list: [payload, undefined] }),
    ];

    for (const wrapper of wrappers) expect(jsonText(wrapper)).toBe(JSON.stringify(wrapper));
  });

  it('gives null for undefined, as a state output of nothing is null', () => {
    expect(jsonText(undefined)).toBe('null');
    expect(jsonText('x')).toBe('"x"');
  });
});

describe('parseWhenRead', () => {
  const original = { rows: [{ id: 1, tags: ['a', 'b'] }], total: 1, note: null };
  const text = JSON.stringify(original);

  it('reads like the parsed value, through every way of looking at an object', () => {
    const value = parseWhenRead(text) as typeof original;

    expect(value).toEqual(original);
    expect(Object.keys(value)).toEqual(['rows', 'total', 'note']);
    expect('total' in value).toBe(true);
    expect(value.rows.map((row) => row.id)).toEqual([1]);
    expect(JSON.stringify(value)).toBe(text);
    expect({ ...value }).toEqual(original);
  });

  it('keeps its text, so jsonText does not serialise it again, also inside a wrapper', () => {
    const value = parseWhenRead(text);

    expect(jsonText(value)).toBe(text);
    expect(jsonText({ Payload: value, StatusCode: 200 })).toBe(`{"Payload":${text},"StatusCode":200}`);
  });

  it('is an array where the text is one, and a plain value where the text is a scalar', () => {
    const list = parseWhenRead('[1,[2,3]]') as unknown[];

    expect(Array.isArray(list)).toBe(true);
    expect(list).toHaveLength(2);
    expect(list.flat()).toEqual([1, 2, 3]);
    expect(parseWhenRead('"text"')).toBe('text');
    expect(parseWhenRead('42')).toBe(42);
    expect(parseWhenRead('null')).toBeNull();
  });
});

describe('parseWhenRead through promises', () => {
  it('passes through a promise unparsed, and still reads a member named then', async () => {
    const plain = await Promise.resolve(parseWhenRead('{"a":1}'));
    const withThen = await Promise.resolve(parseWhenRead('{"then":"later"}'));

    expect(jsonText(plain)).toBe('{"a":1}');
    expect((withThen as { then: string }).then).toBe('later');
  });
});
