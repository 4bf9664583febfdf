import { describe, expect, it } from '@jest/globals';
import { fileListing, type StoredObject } from '../../../local/cli/file-listing.ts';
import type { LedgerItem } from '../../../workflow/ledger-item.ts';

const item = (key: string, startedAt: string, extra: Partial<LedgerItem> = {}): LedgerItem => ({
  pk: `s3://chute/input/orders/${key}#etag-${key}`,
  status: 'SUCCEEDED',
  startedAt,
  loaded: 2,
  rejected: 0,
  ...extra,
});
const stored = (lastModified: string, size: number): StoredObject => ({
  lastModified: new Date(lastModified),
  size,
});

describe('chute files lines', () => {
  it('lists the newest upload first, each with its upload time, bytes and status', () => {
    // Prepare: scanned in no particular order, as DynamoDB returns them.
    const items = [
      item('b.csv', '2026-01-02T10:00:01.100Z'),
      item('c.csv', '2026-01-03T09:00:00.200Z', { status: 'FAILED', loaded: undefined, error: 'X: y' }),
      item('a.csv', '2026-01-01T08:00:00.300Z'),
    ];
    const objects = new Map([
      ['s3://chute/input/orders/a.csv#etag-a.csv', stored('2026-01-01T08:00:00Z', 120)],
      ['s3://chute/input/orders/b.csv#etag-b.csv', stored('2026-01-02T10:00:01Z', 4096)],
      ['s3://chute/input/orders/c.csv#etag-c.csv', stored('2026-01-03T09:00:00Z', 7)],
    ]);

    // Act
    const lines = fileListing(items, objects);

    // Assess
    expect(lines).toEqual([
      '2026-01-03T09:00:00Z    7 FAILED    s3://chute/input/orders/c.csv#etag-c.csv — X: y',
      '2026-01-02T10:00:01Z 4096 SUCCEEDED s3://chute/input/orders/b.csv#etag-b.csv loaded 2 rejected 0',
      '2026-01-01T08:00:00Z  120 SUCCEEDED s3://chute/input/orders/a.csv#etag-a.csv loaded 2 rejected 0',
    ]);
  });

  it('breaks a tie of S3 seconds by the claim time; a replaced object shows its claim time and no size', () => {
    // Prepare: two uploads in one second; a third whose object was overwritten since.
    const items = [
      item('first.csv', '2026-01-01T08:00:00.100Z'),
      item('second.csv', '2026-01-01T08:00:00.900Z'),
      item('gone.csv', '2026-01-01T07:59:00.500Z'),
    ];
    const objects = new Map([
      ['s3://chute/input/orders/first.csv#etag-first.csv', stored('2026-01-01T08:00:00Z', 10)],
      ['s3://chute/input/orders/second.csv#etag-second.csv', stored('2026-01-01T08:00:00Z', 20)],
      ['s3://chute/input/orders/gone.csv#another-etag', stored('2026-01-01T09:00:00Z', 30)],
    ]);

    // Act
    const lines = fileListing(items, objects);

    // Assess
    expect(lines.map((line) => line.split(' ').filter(Boolean).slice(0, 4))).toEqual([
      ['2026-01-01T08:00:00Z', '20', 'SUCCEEDED', 's3://chute/input/orders/second.csv#etag-second.csv'],
      ['2026-01-01T08:00:00Z', '10', 'SUCCEEDED', 's3://chute/input/orders/first.csv#etag-first.csv'],
      ['2026-01-01T07:59:00Z', '-', 'SUCCEEDED', 's3://chute/input/orders/gone.csv#etag-gone.csv'],
    ]);
  });
});
