import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CostItems } from '../../../local/cost/monthly-cost.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';

const chute = fileURLToPath(new URL('../../../bin/chute.js', import.meta.url));

let database: ScratchDatabase;
beforeAll(async () => {
  database = await createScratchDatabase();
});
afterAll(async () => {
  await database?.drop();
});

function runChute(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [chute, ...args], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('chute cost', () => {
  it('prints one JSON object whose monthlyUsd total is the sum of its items', async () => {
    // Act
    const { status, stdout } = await runChute(
      'cost',
      '--json',
      '--sample-files',
      '20',
      '--files-per-day',
      '100000',
      '--rows-per-file',
      '300',
    );
    // Assess
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as {
      inputs: { filesPerDay: number; rowsPerFile: number; databaseUsd: number };
      measured: { files: number; statuses: Record<string, number>; perFile: Record<string, unknown> };
      monthlyUsd: Record<string, number>;
    };
    expect(report.inputs).toMatchObject({ filesPerDay: 100_000, rowsPerFile: 300, databaseUsd: 420 });
    expect(report.measured).toMatchObject({ files: 20, statuses: { SUCCEEDED: 20 } });
    expect(Object.keys(report.monthlyUsd).sort()).toEqual([...CostItems, 'database', 'total'].sort());
    for (const usd of Object.values(report.monthlyUsd)) expect(typeof usd).toBe('number');
    const { total, ...items } = report.monthlyUsd;
    expect(total).toBeCloseTo(
      Object.values(items).reduce((a, b) => a + b, 0),
      2,
    );
    // A measured run that did nothing would price at the database alone.
    expect(report.monthlyUsd.stepFunctions).toBeGreaterThan(0);
    expect(report.monthlyUsd.lambda).toBeGreaterThan(0);
  }, 240_000);

  it('refuses a flag that is not a number, saying which', async () => {
    // Act
    const { status, stderr } = await runChute('cost', '--files-per-day', 'lots');
    // Assess
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/--files-per-day.*expected a whole number/);
  });
});
