import { describe, expect, it } from '@jest/globals';
import { matchesPattern } from '../../../local/services/event-pattern-match.ts';
import { objectCreatedEvent } from '../../../local/services/s3-events.ts';
import { Batching } from '../../../workflow/batching.ts';
import { bigFileUploadedPattern, smallFileUploadedPattern } from '../../../workflow/event-pattern.ts';

// Numeric matching, from the example of "Content filtering in Amazon EventBridge event patterns"
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html):
// a range with two bounds, one bound, and equality written in exponent notation.
describe('numeric matching', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };
  const event = (detail: Record<string, unknown>) => ({
    detail: Object.fromEntries(
      Object.entries({ 'c-count': 5, 'd-count': 7, 'x-limit': 301.8, ...detail }).filter(
        ([, value]) => value !== undefined,
      ),
    ),
  });

  it("matches the documentation's event", () => {
    expect(matchesPattern(pattern, event({}))).toBe(true);
  });

  it.each([
    ['c-count at the open lower bound', { 'c-count': 0 }],
    ['c-count over the closed upper bound', { 'c-count': 5.000001 }],
    ['d-count at the open upper bound', { 'd-count': 10 }],
    ['x-limit not equal', { 'x-limit': 301.81 }],
    ['a number written as a string', { 'c-count': '5' }],
    ['a missing field', { 'd-count': undefined }],
  ])('does not match %s', (_, detail) => {
    expect(matchesPattern(pattern, event(detail))).toBe(false);
  });
});

describe('the upload patterns split by size', () => {
  const upload = (size: number) =>
    objectCreatedEvent(
      { bucket: 'chute', key: 'input/orders/a.json', size, etag: 'e', reason: 'PutObject', requestId: 'r' },
      { region: 'us-east-1', accountId: '0' },
    );

  it.each([
    [0, 'small'],
    [1, 'small'],
    [Batching.smallFileMaxBytes, 'small'],
    [Batching.smallFileMaxBytes + 1, 'big'],
    [1024 ** 3, 'big'],
  ])('%i bytes is %s, and matches exactly one of the two rules', (size, route) => {
    expect(matchesPattern(smallFileUploadedPattern('chute'), upload(size))).toBe(route === 'small');
    expect(matchesPattern(bigFileUploadedPattern('chute'), upload(size))).toBe(route === 'big');
  });
});
