import { describe, expect, it } from '@jest/globals';
import { fileOf } from '../../../local/console/ui/pipeline-file.ts';

const objectCreated = (key: string) => ({
  'detail-type': 'Object Created',
  source: 'aws.s3',
  detail: { bucket: { name: 'chute' }, object: { key, size: 10 } },
});

describe('fileOf', () => {
  it.each([
    ['an S3 event', objectCreated('input/orders/a.csv'), 's3://chute/input/orders/a.csv'],
    [
      'a batch of S3 events',
      [objectCreated('input/x/1.csv'), objectCreated('input/x/2.csv')],
      's3://chute/input/x/1.csv and 1 more',
    ],
    [
      'a Map Run child batch',
      { BatchInput: { file: { bucket: 'chute', key: 'input/o.jsonl' } }, Items: [] },
      's3://chute/input/o.jsonl',
    ],
    ['another machine input', { n: 1 }, undefined],
  ])('%s', (_, input, file) => {
    expect(fileOf(JSON.stringify(input))).toBe(file);
  });

  it('is undefined for no input or input that is not JSON', () => {
    expect([fileOf(undefined), fileOf('not json')]).toEqual([undefined, undefined]);
  });
});
