import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
} from '@aws-sdk/client-sfn';
import { waitForRun } from '../../../local/cli/wait-for-file.ts';
import { clientsFor } from '../../../local/services/aws-clients.ts';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { chuteUp, exited, pipelineDatabase, stopChuteUps, type Up } from '../../support/chute-up.ts';

// `chute up` killed with -9 while a batch of small files is half loaded: after a restart the batch's
// execution is FAILED (a crash ended it), and a redrive loads every file, every row exactly once.
const FILES = 80;
const ROWS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const customers = (file: number) =>
  JSON.stringify(Array.from({ length: ROWS }, (_, i) => ({ customer_id: `K-${file}-${i}`, name: `K ${i}` })));

describe('chute up killed in the middle of a batch', () => {
  let dataDir: string;
  let first: Up | undefined;
  let again: Up | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chute-kill-batch-'));
  });
  afterAll(async () => {
    await stopChuteUps(dataDir, [first, again]);
    await rm(dataDir, { recursive: true, force: true });
  });

  const statuses = async (url: string) => {
    const { Items = [] } = await clientsFor(url).dynamodb.send(
      new ScanCommand({ TableName: ResourceNames.ledgerTable }),
    );
    return Items.map((item) => item.status!.S!);
  };

  it('loses nothing: after restart and redrive every file is loaded once', async () => {
    // Prepare: a burst of small files, all in one batch.
    first = await chuteUp(dataDir, ['--batch-window', '10']);
    const { s3 } = clientsFor(first.url);
    for (let i = 0; i < FILES; i += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          s3.send(
            new PutObjectCommand({
              Bucket: ResourceNames.bucket,
              Key: `input/customers/kill-${i + j}.json`,
              Body: customers(i + j),
            }),
          ),
        ),
      );

    // Act: kill -9 once some files are loaded and others not yet.
    for (;;) {
      const now = await statuses(first.url);
      const done = now.filter((s) => s === 'SUCCEEDED').length;
      if (done > 0 && done < FILES) break;
      if (done === FILES) throw new Error('the batch finished before the kill: make it bigger');
      await sleep(20);
    }
    first.child.kill('SIGKILL');
    await exited(first.child);
    again = await chuteUp(dataDir, ['--batch-window', '10']);
    const clients = clientsFor(again.url);

    // Assess: the batch's execution came back FAILED (a crash ended it); a redrive finishes it.
    const stateMachineArn = `arn:aws:states:us-east-1:000000000000:stateMachine:${ResourceNames.stateMachine}`;
    const { executions = [] } = await clients.sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    const crashed = executions.filter((e) => e.status === 'FAILED');
    expect(crashed.length).toBeGreaterThan(0);
    for (const { executionArn } of crashed) {
      await clients.sfn.send(new RedriveExecutionCommand({ executionArn }));
      expect((await waitForRun(clients, executionArn!)).status).toBe('SUCCEEDED');
    }
    const { input } = await clients.sfn.send(
      new DescribeExecutionCommand({ executionArn: crashed[0]!.executionArn }),
    );
    expect(Array.isArray(JSON.parse(input!))).toBe(true);
    // A batch whose messages were still in the queue at the kill starts after the restart.
    for (let i = 0; (await statuses(again.url)).some((s) => s !== 'SUCCEEDED'); i++) {
      if (i > 600) throw new Error(`files not loaded: ${(await statuses(again.url)).join(' ')}`);
      await sleep(100);
    }
    expect(await statuses(again.url)).toEqual(Array(FILES).fill('SUCCEEDED'));
    const db = await pipelineDatabase(dataDir);
    try {
      const { rows } = await db.query<{ n: string; distinct_ids: string }>(
        "SELECT count(*) AS n, count(DISTINCT customer_id) AS distinct_ids FROM customers WHERE customer_id LIKE 'K-%'",
      );
      expect(rows[0]).toEqual({ n: String(FILES * ROWS), distinct_ids: String(FILES * ROWS) });
    } finally {
      await db.end();
    }
  }, 300_000);
});
