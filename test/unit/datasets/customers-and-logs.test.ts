import { describe, expect, it } from '@jest/globals';
import type { RejectedRow, StagedBatch } from '../../../functions/shared/schemas.ts';
import { memoryLookups } from '../../support/memory-lookups.ts';
import { batchOf } from '../../support/batches.ts';
import { stageBatch } from '../../support/pipeline-stages.ts';

const lookups = () =>
  memoryLookups({
    customers: [],
    fx_rates: [],
    service_owners: [
      { service: 'checkout', team: 'payments' },
      { service: 'auth', team: 'identity' },
    ],
  });

async function stageOne(dataset: string, value: unknown): Promise<{ row?: unknown; rejected?: RejectedRow }> {
  const staged: StagedBatch = await stageBatch(batchOf(dataset, [value]), lookups());
  return { row: staged.rows[0]?.data, rejected: staged.rejected[0] };
}

const customer = (overrides: Record<string, unknown> = {}) => ({
  customer_id: 'C-1',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  country: 'GB',
  region: 'Europe',
  signed_up_on: '2023-01-15',
  ...overrides,
});

describe('customers', () => {
  it.each([
    ['trims and collapses the name', { name: '  Ada   Lovelace ' }, { name: 'Ada Lovelace' }],
    ['lower-cases the email', { email: 'ADA@Example.COM' }, { email: 'ada@example.com' }],
    ['upper-cases the country', { country: ' gb ' }, { country: 'GB' }],
    ['normalises the region case', { region: 'north america' }, { region: 'North America' }],
    ['a numeric id becomes text', { customer_id: 42 }, { customer_id: '42' }],
    [
      'the largest safe numeric id too',
      { customer_id: 9007199254740991 },
      { customer_id: '9007199254740991' },
    ],
    ['an absent email is null', { email: null }, { email: null }],
    ['a slash date with a day over 12', { signed_up_on: '25/12/2023' }, { signed_up_on: '2023-12-25' }],
    ['a named month', { signed_up_on: 'March 5, 2024' }, { signed_up_on: '2024-03-05' }],
  ])('accepts: %s', async (_case, overrides, expected) => {
    const { row, rejected } = await stageOne('customers', customer(overrides));

    expect(rejected).toBeUndefined();
    expect(row).toMatchObject(expected);
  });

  it.each([
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['an unknown region', { region: 'Atlantis' }, 'region'],
    ['an ambiguous date', { signed_up_on: '05/06/2023' }, 'signed_up_on'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a missing name', { name: undefined }, 'name'],
    // As the Lambda runtime parses 12345678901234567890: its digits are gone, so it is not loaded.
    ['a numeric id beyond 2^53', { customer_id: 12345678901234567000 }, 'customer_id'],
  ])('rejects %s with a reason naming the field', async (_case, overrides, field) => {
    const { row, rejected } = await stageOne('customers', customer(overrides));

    expect(row).toBeUndefined();
    expect(rejected?.reasons.some((reason) => reason.startsWith(`${field}:`))).toBe(true);
  });
});

const logLine = (overrides: Record<string, unknown> = {}) => ({
  timestamp: '2024-06-01T12:00:00Z',
  level: 'INFO',
  service: 'checkout',
  message: 'payment captured',
  request_id: 'req-1',
  latency_ms: 12,
  ...overrides,
});

describe('logs', () => {
  it.each([
    ['epoch seconds', { timestamp: 1717243200 }, { ts: '2024-06-01T12:00:00.000Z' }],
    ['epoch milliseconds as text', { timestamp: '1717243200000' }, { ts: '2024-06-01T12:00:00.000Z' }],
    ['an offset timestamp', { timestamp: '2024-06-01T14:00:00+02:00' }, { ts: '2024-06-01T12:00:00.000Z' }],
    ['warning is WARN, 13', { level: 'warning' }, { level: 'WARN', severity: 13 }],
    ['critical is FATAL, 21', { level: 'CRITICAL' }, { level: 'FATAL', severity: 21 }],
    ['latency as text', { latency_ms: '120.5' }, { latency_ms: 120.5 }],
    ['the owning team is looked up', { service: 'auth' }, { team: 'identity' }],
    ['an unknown service has no team', { service: 'mailer' }, { team: null }],
    [
      'the message is trimmed, its inner spacing kept',
      { message: '  user   logged in ' },
      { message: 'user   logged in' },
    ],
  ])('accepts: %s', async (_case, overrides, expected) => {
    const { row, rejected } = await stageOne('logs', logLine(overrides));

    expect(rejected).toBeUndefined();
    expect(row).toMatchObject(expected);
  });

  it('derives the same event_id for the same line, a different one for another', async () => {
    const a = await stageOne('logs', logLine());
    const b = await stageOne('logs', logLine());
    const c = await stageOne('logs', logLine({ message: 'other' }));

    expect((a.row as { event_id: string }).event_id).toMatch(/^[0-9a-f]{32}$/);
    expect((a.row as { event_id: string }).event_id).toBe((b.row as { event_id: string }).event_id);
    expect((a.row as { event_id: string }).event_id).not.toBe((c.row as { event_id: string }).event_id);
  });

  it.each([
    ['a timestamp that is not one', { timestamp: 'yesterday' }, 'timestamp'],
    ['a timestamp out of range', { timestamp: 1e17 }, 'timestamp'],
    ['an unknown level', { level: 'LOUD' }, 'level'],
    ['a negative latency', { latency_ms: -5 }, 'latency_ms'],
    ['an absurd latency', { latency_ms: 1e308 }, 'latency_ms'],
    ['a missing service', { service: undefined }, 'service'],
  ])('rejects %s with a reason naming the field', async (_case, overrides, field) => {
    const { row, rejected } = await stageOne('logs', logLine(overrides));

    expect(row).toBeUndefined();
    expect(rejected?.reasons.some((reason) => reason.startsWith(`${field}:`))).toBe(true);
    expect(rejected?.raw).toEqual(JSON.parse(JSON.stringify(logLine(overrides))));
  });
});
