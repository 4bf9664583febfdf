import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HistoryCache } from '../../../local/api/store/history-cache.ts';
import type { StoredEvent } from '../../../local/api/store/history-lines.ts';
import { StateStore } from '../../../local/api/store/state-store.ts';

const arn = 'arn:aws:states:us-east-1:000000000000:execution:m:e';
const event = (id: number): StoredEvent => ({
  id,
  previousEventId: id - 1,
  timestamp: id,
  type: 'PassStateEntered',
});
const loaded =
  (ids: number[], size = 10) =>
  async () => ({ events: ids.map(event), size });

describe('HistoryCache', () => {
  it('parses a history once for all its pages, until it changes', async () => {
    const cache = new HistoryCache();
    let loads = 0;
    const load = () => {
      loads++;
      return loaded([1, 2])();
    };
    const first = await cache.read(arn, load);
    expect(await cache.read(arn, load)).toBe(first);
    expect(loads).toBe(1);
    cache.invalidate(arn);
    await cache.read(arn, load);
    expect(loads).toBe(2);
  });

  it('does not keep what a read brought when the history changed while it read', async () => {
    const cache = new HistoryCache();
    let finish!: () => void;
    const slow = cache.read(arn, async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      return loaded([1])();
    });
    cache.invalidate(arn); // an append while the file was being read
    finish();
    expect((await slow).map((e) => e.id)).toEqual([1]);
    expect((await cache.read(arn, loaded([1, 2]))).map((e) => e.id)).toEqual([1, 2]);
  });

  it('keeps the most recently used histories within its budget, and none longer than it', async () => {
    const cache = new HistoryCache(25);
    await cache.read('a', loaded([1], 10));
    await cache.read('b', loaded([1], 10));
    await cache.read('a', loaded([9])); // a used again: b is now the oldest
    await cache.read('c', loaded([1], 10));
    expect((await cache.read('a', loaded([2]))).map((e) => e.id)).toEqual([1]);
    expect((await cache.read('b', loaded([2]))).map((e) => e.id)).toEqual([2]);
    await cache.read('big', loaded([1], 26));
    expect((await cache.read('big', loaded([2], 26))).map((e) => e.id)).toEqual([2]);
  });
});

describe('StateStore.readHistory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'history-cache-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('serves every page of a history from one read of its file, and an appended event after', async () => {
    const store = await StateStore.open(dir);
    const append = (id: number) =>
      store.appendEvent(arn, {
        id,
        previousEventId: id - 1,
        timestamp: new Date(id * 1000),
        type: 'PassStateEntered',
      });
    for (let id = 1; id <= 3; id++) append(id);

    const first = await store.readHistory(arn);
    expect(await store.readHistory(arn)).toBe(first);
    append(4);
    expect((await store.readHistory(arn)).map((e) => e.id)).toEqual([1, 2, 3, 4]);
    await store.close();
  });
});
