import { describe, expect, it } from '@jest/globals';
import { jsonText } from '../../../local/engine/limits.ts';

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
