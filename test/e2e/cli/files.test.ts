import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { main } from '../../../local/cli/main.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

const orders = (prefix: string) =>
  [
    'order_id,customer_id,order_date,sku,quantity,unit_price,currency',
    `${prefix}-1,C-001,2024-01-01,SKU-1,1,10.00,USD`,
    `${prefix}-2,C-001,2024-01-01,SKU-1,2,10.00,USD`,
  ].join('\n');

let database: ScratchDatabase;
let local: TestPipeline;
beforeAll(async () => {
  database = await createScratchDatabase();
  local = await startTestPipeline(database.url);
}, 60_000);
afterAll(async () => {
  await local?.stop();
  await database?.drop();
});

/** Runs `chute files` in-process against the local cloud and returns the lines it printed. */
async function chuteFiles(): Promise<string[]> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    lines.push(parts.join(' '));
  });
  try {
    await main(['node', 'chute', 'files', '--endpoint', local.cloud.url]);
  } finally {
    log.mockRestore();
  }
  return lines;
}

describe('chute files', () => {
  it('lists the newest upload first, with its upload time, bytes, status and rows', async () => {
    // Prepare: three files uploaded one after another.
    const bodies = { 'first.csv': orders('F'), 'second.csv': orders('S'), 'third.csv': orders('T') };
    for (const [name, body] of Object.entries(bodies)) await local.ingest(`input/orders/${name}`, body);

    // Act
    const lines = await chuteFiles();

    // Assess
    const line = (name: keyof typeof bodies) =>
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ${bodies[name].length} SUCCEEDED ` +
          `s3://chute/input/orders/${name.replace('.', '\\.')}#[0-9a-f]{32} loaded 2 rejected 0$`,
      );
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(line('third.csv'));
    expect(lines[1]).toMatch(line('second.csv'));
    expect(lines[2]).toMatch(line('first.csv'));
  }, 60_000);
});
