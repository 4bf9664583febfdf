import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { logPipelineExecutions } from '../../../local/cli/execution-log.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

const customers = new URL('../../../samples/customers.json', import.meta.url);

let database: ScratchDatabase;
let local: TestPipeline;
const lines: string[] = [];
beforeAll(async () => {
  database = await createScratchDatabase();
  local = await startTestPipeline(database.url);
  logPipelineExecutions(local.cloud, local.pipeline, (line) => lines.push(line));
});
afterAll(async () => {
  await local.stop();
  await database.drop();
});

const until = async (condition: () => boolean) => {
  for (const deadline = Date.now() + 30_000; !condition() && Date.now() < deadline;)
    await new Promise((resolve) => setTimeout(resolve, 50));
};

describe("chute up's log", () => {
  it('says when an upload starts, how each execution ended, and when a file was already loaded', async () => {
    const body = await readFile(customers);
    const put = () =>
      local.cloud.clients.s3.send(
        new PutObjectCommand({ Bucket: local.pipeline.bucket, Key: 'input/customers/c.json', Body: body }),
      );

    await put();
    await until(() => lines.some((line) => line.includes('SUCCEEDED')));
    await put();
    await until(() => lines.some((line) => line.includes('already loaded')));

    expect(lines).toEqual([
      expect.stringMatching(/input\/customers\/c\.json: uploaded \(\d+ bytes\), starting$/),
      expect.stringMatching(
        /input\/customers\/c\.json: SUCCEEDED, 12 rows loaded, 4 rows rejected in [\d.]+ s {2}\(arn:aws:states:/,
      ),
      expect.stringMatching(/input\/customers\/c\.json: uploaded/),
      expect.stringMatching(
        /input\/customers\/c\.json: already loaded on \S+ by arn:aws:states:.* — not run again$/,
      ),
    ]);
  }, 60_000);
});
