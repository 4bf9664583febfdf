import { describe, expect, it } from '@jest/globals';
import { join, sep } from 'node:path';
import { encodeKeyToPath } from 'fauxqs';

// fauxqs's S3 layout (patches/fauxqs+2.4.1.patch): an object's files are
// `<objects dir>/<encodeKeyToPath(key)>.data` and `.meta.json`; parts are assembled in `.data.assembling`.
const objects = join('/data', 's3', 'buckets', 'b', 'objects');
const files = (key: string) =>
  ['.data', '.meta.json', '.data.assembling'].map((suffix) => join(objects, encodeKeyToPath(key) + suffix));

// Legal keys that name no ordinary file path (any UTF-8 up to 1,024 bytes is a key:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
const keys = [
  '../x',
  '../../../../tmp/x',
  'a/../b',
  'b',
  './b',
  'a/./b',
  'a//b',
  '/b',
  '//b',
  'a/',
  'a',
  '.',
  '..',
  '...',
  'a/..',
  'a/.',
  'x.data/y',
  'x',
  'x.meta.json/y',
  'x.data.assembling/y',
  'x%2e%2e/y',
  '%2e%2e/y',
  '%2f/y',
  'a\\..\\..\\b',
  'n\u0000ul/..',
  'dir.data',
  'dir.data/',
  '..data/y',
];

describe('S3 keys as file paths', () => {
  it.each(keys)('%j stays inside its bucket directory', (key) => {
    for (const path of files(key)) expect(path.startsWith(objects + sep)).toBe(true);
  });

  it('no two keys share a file, and no object file is another key’s directory', () => {
    const owners = new Map<string, string>();
    for (const key of keys) {
      for (const path of files(key)) {
        expect([path, owners.get(path)]).toEqual([path, undefined]);
        owners.set(path, key);
      }
    }
    for (const key of keys) {
      const parts = encodeKeyToPath(key).split(sep);
      for (let i = 1; i < parts.length; i++) {
        const directory = join(objects, ...parts.slice(0, i));
        expect([directory, owners.get(directory)]).toEqual([directory, undefined]);
      }
    }
  });

  it('keeps the layout of ordinary keys (data dirs written before still read)', () => {
    expect(encodeKeyToPath('input/orders/2024.01.csv')).toBe(join('input', 'orders', '2024.01.csv'));
    expect(encodeKeyToPath('folder/')).toBe(`folder${sep}`);
    expect(encodeKeyToPath('a:b?c')).toBe('a%3ab%3fc');
  });
});
