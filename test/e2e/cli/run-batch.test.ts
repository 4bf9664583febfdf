import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { startLocalCloud } from '../../../local/services/cloud.ts';
import type { SqsRecord } from '../../../local/services/sqs-records.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';

// `chute run` of several small files of a dataset starts one execution for them at once, with the
// input the pipe would give (an array of SQS records whose bodies are the S3 events): it never
// waits out the batching window. Files run in the order given, a dataset's consecutive files
// together (customers before the orders enriched from them).

const chute = fileURLToPath(new URL('../../../bin/chute.js', import.meta.url));
const sample = (name: string) => fileURLToPath(new URL(`../../../samples/${name}`, import.meta.url));
const expectations = JSON.parse(await readFile(sample('expectations.json'), 'utf8')) as Record<
  string,
  { status: string; loaded: number; rejected: number }
>;

interface Report {
  file: string;
  status: string;
  executionArn: string;
  loaded: number;
  rejected: number;
}

let database: ScratchDatabase;
let data: string;
let reports: Report[];
let took: number;
/** A customers file of three good rows and one with a bad email. */
const customersFile = (prefix: string) =>
  JSON.stringify([
    ...[1, 2, 3].map((i) => ({ customer_id: `${prefix}-${i}`, name: `Customer ${i}` })),
    { customer_id: `${prefix}-4`, name: 'Bad Email', email: 'not an address' },
  ]);
beforeAll(async () => {
  database = await createScratchDatabase();
  data = await mkdtemp(join(tmpdir(), 'chute-run-batch-'));
  const first = join(data, 'customers-1.json');
  const second = join(data, 'customers-2.json');
  await writeFile(first, customersFile('R1'));
  await writeFile(second, customersFile('R2'));
  const started = Date.now();
  reports = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [chute, 'run', '--json', '--data', data, first, second, sample('orders.csv')],
      { env: { ...process.env, DATABASE_URL: database.url } },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', () =>
      resolve(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Report),
      ),
    );
  });
  took = Date.now() - started;
}, 120_000);
afterAll(async () => {
  await database.drop();
  await rm(data, { recursive: true, force: true });
});

describe('chute run of two small customers files, then orders', () => {
  it('starts one execution for both customers files, its input the SQS records of their S3 events, without a window', async () => {
    expect(reports).toHaveLength(3);
    expect(reports[0]!.executionArn).toBe(reports[1]!.executionArn);
    expect(reports[2]!.executionArn).not.toBe(reports[0]!.executionArn);
    const cloud = await startLocalCloud({ port: 0, dataDir: data });
    try {
      const { input } = await cloud.clients.sfn.send(
        new DescribeExecutionCommand({ executionArn: reports[0]!.executionArn }),
      );
      const records = JSON.parse(input!) as SqsRecord[];
      expect(records).toHaveLength(2);
      expect(records.map((record) => record.eventSource)).toEqual(['aws:sqs', 'aws:sqs']);
      const keys = records.map(
        (record) => (JSON.parse(record.body) as { detail: { object: { key: string } } }).detail.object.key,
      );
      expect(keys).toEqual(['input/customers/customers-1.json', 'input/customers/customers-2.json']);
    } finally {
      await cloud.close();
    }
    // A batching window is 60 s: the run did not sit one out.
    expect(took).toBeLessThan(60_000);
  });

  it('loads each file as expected, each reported on its own', () => {
    expect(reports.map(({ status, loaded, rejected }) => ({ status, loaded, rejected }))).toEqual([
      { status: 'SUCCEEDED', loaded: 3, rejected: 1 },
      { status: 'SUCCEEDED', loaded: 3, rejected: 1 },
      {
        status: expectations['samples/orders.csv']!.status,
        loaded: expectations['samples/orders.csv']!.loaded,
        rejected: expectations['samples/orders.csv']!.rejected,
      },
    ]);
  });
});
