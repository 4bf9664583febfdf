import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildExecutionRecord } from '../../../local/engine/distributed-map/result-entry.ts';
import { ResultSpool } from '../../../local/engine/distributed-map/result-spool.ts';

const child = (index: number): ChildExecutionRecord => ({
  ExecutionArn: `arn:aws:states:us-east-1:000000000000:execution:pipeline/Rows:${index}`,
  Name: String(index),
  StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:pipeline/Rows',
  Status: 'SUCCEEDED',
  StartDate: '2026-11-22T10:00:00.000Z',
  StopDate: '2026-11-22T10:00:01.000Z',
  Input: '{}',
  Output: '{"loaded":1}',
  RedriveCount: 0,
});

// A spool file that cannot be written (its directory gone, a full disk) emitted 'error' with no
// listener: an uncaught exception that ended Node and every local service with it.
describe('ResultSpool', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'spool-home-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('rejects the write when its file cannot be written, raising nothing elsewhere', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const spool = await ResultSpool.create({ transformation: 'NONE', outputType: 'JSON' }, home);
    for (const dir of await readdir(home)) await rm(join(home, dir), { recursive: true });

    const first = spool.add(child(0)).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = spool.add(child(1)).catch((error: unknown) => error);

    expect([await first, await second].some((error) => /ENOENT/.test(String(error)))).toBe(true);
    await expect(spool.write('chute', 'results', {} as never)).rejects.toThrow(/ENOENT/);
    await spool.dispose();
    process.off('uncaughtException', onUncaught);
    expect(uncaught).toEqual([]);
  });
});
