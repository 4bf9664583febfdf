import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ChildHistoryLog } from '../../../local/api/store/child-history-log.ts';

const line = (child: string, id: number) => `${JSON.stringify({ id, child, note: 'tab\there' })}\n`;

describe('ChildHistoryLog', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'child-log-'));
    path = join(dir, 'children.log');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('gives each child back its own lines, in order, across interleaved appends', async () => {
    const log = new ChildHistoryLog(path);
    await log.append([
      ['a', [line('a', 1), line('a', 2)]],
      ['b', [line('b', 1)]],
    ]);
    await log.append([
      ['b', [line('b', 2)]],
      ['a', [line('a', 3)]],
    ]);

    expect(await log.read('a')).toBe([line('a', 1), line('a', 2), line('a', 3)].join('').trimEnd());
    expect(await log.read('b')).toBe([line('b', 1), line('b', 2)].join('').trimEnd());
    expect(await log.read('c')).toBe('');
  });

  it('finds what an earlier process wrote, and what it appends after, by scanning the file once', async () => {
    const before = new ChildHistoryLog(path);
    const many = Array.from({ length: 20_000 }, (_, i) => line('a', i));
    await before.append([
      ['a', many],
      ['b', [line('b', 1)]],
    ]);

    const after = new ChildHistoryLog(path);
    await after.append([['b', [line('b', 2)]]]);

    expect((await after.read('a')).split('\n')).toHaveLength(20_000);
    expect(await after.read('b')).toBe([line('b', 1), line('b', 2)].join('').trimEnd());
  });
  it('indexes nothing from an append that failed, so appending the same lines again reads them once', async () => {
    const inMissingDir = join(dir, 'later', 'children.log');
    const log = new ChildHistoryLog(inMissingDir);

    await expect(log.append([['a', [line('a', 1)]]])).rejects.toThrow(/ENOENT/);
    await mkdir(join(dir, 'later'));
    await log.append([['a', [line('a', 1)]]]);

    expect(await log.read('a')).toBe(line('a', 1).trimEnd());
  });

  it('starts on a line of its own after an earlier process stopped mid-line', async () => {
    const before = new ChildHistoryLog(path);
    await before.append([['a', [line('a', 1)]]]);
    await appendFile(path, 'a\t{"id":2,"chi');

    const after = new ChildHistoryLog(path);
    await after.append([['a', [line('a', 3)]]]);

    expect(await after.read('a')).toBe([line('a', 1), line('a', 3)].join('').trimEnd());
    const again = new ChildHistoryLog(path);
    expect((await again.read('a')).split('\n')).toEqual([
      line('a', 1).trimEnd(),
      'a\t{"id":2,"chi'.slice(2),
      line('a', 3).trimEnd(),
    ]);
  });
});
