import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';

const chute = fileURLToPath(new URL('../../../bin/chute.js', import.meta.url));
const orders = fileURLToPath(new URL('../../../samples/orders.csv', import.meta.url));

interface Report {
  status: string;
  executionArn: string;
  loaded: number;
  alreadyLoaded?: { at: string; status: string };
}

let database: ScratchDatabase;
let data: string;
beforeAll(async () => {
  database = await createScratchDatabase();
  data = await mkdtemp(join(tmpdir(), 'chute-run-'));
});
afterAll(async () => {
  await database.drop();
  await rm(data, { recursive: true, force: true });
});

function runChute(...args: string[]): Promise<{ status: number | null; report: Report; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [chute, 'run', '--json', '--data', data, ...args], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (status) =>
      resolve({ status, stdout, report: JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Report }),
    );
  });
}

describe('chute run of a file the ledger already has', () => {
  it('says it was already loaded, by which execution and when, and runs nothing; --again loads it again', async () => {
    const first = await runChute(orders);
    const second = await runChute(orders);
    const again = await runChute('--again', orders);

    expect(first.report).toMatchObject({ status: 'SUCCEEDED', loaded: 45 });
    expect(first.report.alreadyLoaded).toBeUndefined();
    expect(second.report).toMatchObject({
      executionArn: first.report.executionArn,
      alreadyLoaded: { status: 'SUCCEEDED' },
    });
    expect(second.status).toBe(0);
    expect(again.report).toMatchObject({ status: 'SUCCEEDED', loaded: 45 });
    expect(again.report.executionArn).not.toBe(first.report.executionArn);
    const { rows } = await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM orders');
    expect(Number(rows[0]!.n)).toBe(45);
  }, 120_000);
});
