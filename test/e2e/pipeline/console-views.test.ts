import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { ListExecutionsCommand, ListMapRunsCommand } from '@aws-sdk/client-sfn';
import { startSfn, type RunningSfn } from '../../support/sfn-server.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

// The views' JSON, read as the console reads it: whatever it holds, checked by the expectations.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A GET as a browser sends it (no AWS signature), and the JSON it answers. */
function get(base: string, path: string): Promise<{ status: number; body: Json }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const view = (name: string, query: Record<string, string>) =>
  `/console/api/pipeline/${name}?${new URLSearchParams(query)}`;

describe("the console's pipeline views", () => {
  let db: ScratchDatabase;
  let local: TestPipeline;
  let sfn: RunningSfn;
  beforeAll(async () => {
    db = await createScratchDatabase();
    [local, sfn] = await Promise.all([startTestPipeline(db.url), startSfn()]);
  }, 60_000);
  afterAll(async () => {
    await local?.stop();
    await sfn?.close();
    await db?.drop();
  });

  it("serve a file's ledger entry, its rows by reason, and each Lambda invocation's log lines", async () => {
    const run = await local.ingest('input/orders/views.csv', await readFile('samples/orders.csv'));
    expect(run.status).toBe('SUCCEEDED');
    const url = local.cloud.url;

    const ledger = await get(url, view('ledger', { executionArn: run.executionArn }));
    expect(ledger).toMatchObject({
      status: 200,
      body: { entries: [{ pk: run.fileId, status: 'SUCCEEDED', loaded: 45, rejected: 7 }] },
    });

    const rows = await get(url, view('rows', { file: run.fileId, limit: '3' }));
    expect(rows.status).toBe(200);
    expect(rows.body).toMatchObject({ file: run.fileId, table: 'orders', loaded: 45, rejected: 7 });
    expect(rows.body.rows).toHaveLength(3);
    expect(rows.body.rejects).toHaveLength(3);
    const reasons: { stage: string; reason: string; rows: number }[] = rows.body.rejectedByReason;
    expect(reasons.reduce((sum, r) => sum + r.rows, 0)).toBe(7); // one reason each in this sample
    expect(reasons).toContainEqual({ stage: 'enrich', reason: expect.stringContaining('currency'), rows: 1 });

    // The parent execution invoked notify; its Map Run's children invoked the five stages.
    const logs = await get(url, view('logs', { executionArn: run.executionArn }));
    expect(logs.status).toBe(200);
    const notify = logs.body.invocations.find(
      (i: { functionName: string }) => i.functionName === 'chute-notify',
    );
    expect(notify).toMatchObject({ executionArn: run.executionArn, stateName: expect.any(String) });
    expect(notify.lines[0]).toBe(`START RequestId: ${notify.requestId} Version: $LATEST`);
    expect(notify.lines.at(-1)).toMatch(
      /^REPORT RequestId: .*\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms/,
    );
    const { mapRuns } = await local.cloud.clients.sfn.send(
      new ListMapRunsCommand({ executionArn: run.executionArn }),
    );
    const { executions } = await local.cloud.clients.sfn.send(
      new ListExecutionsCommand({ mapRunArn: mapRuns![0]!.mapRunArn }),
    );
    const child = await get(url, view('logs', { executionArn: executions![0]!.executionArn! }));
    const validate = child.body.invocations.find(
      (i: { functionName: string }) => i.functionName === 'chute-validate',
    );
    // Powertools' JSON line, as the function wrote it.
    const line = JSON.parse(validate.lines.find((l: string) => l.startsWith('{')));
    expect(line).toMatchObject({ level: 'INFO', message: 'validate done', service: 'chute-validate' });

    const letters = await get(url, view('dead-letters', { executionArn: run.executionArn }));
    expect(letters).toEqual({ status: 200, body: { deadLetters: [] } });
  }, 120_000);

  it.each([
    ['no parameter', view('ledger', {})],
    ['not an ARN', view('logs', { executionArn: 'nope' })],
    [
      'an ARN with a space',
      view('dead-letters', { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:a b' }),
    ],
    [
      'two ARNs',
      '/console/api/pipeline/logs?executionArn=arn:aws:states:us-east-1:000000000000:execution:m:a&executionArn=arn:aws:states:us-east-1:000000000000:execution:m:b',
    ],
    ['SQL for a file', view('rows', { file: "s3://chute/input/orders/x.csv#'; DROP TABLE orders; --" })],
    [
      'a limit too big',
      view('rows', { file: `s3://chute/input/orders/x.csv#${'a'.repeat(32)}`, limit: '100000' }),
    ],
    [
      'a negative limit',
      view('rows', { file: `s3://chute/input/orders/x.csv#${'a'.repeat(32)}`, limit: '-1' }),
    ],
    ['broken escapes', '/console/api/pipeline/logs?executionArn=%E0%A4%A'],
    [
      'a huge URL',
      view('logs', { executionArn: `arn:aws:states:us-east-1:000000000000:execution:m:${'x'.repeat(5000)}` }),
    ],
  ])('refuse %s with a 400', async (_, path) => {
    const answer = await get(local.cloud.url, path);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toEqual(expect.any(String));
  });

  it('answer 404 for a view that does not exist, and for every view where there is no pipeline', async () => {
    expect((await get(local.cloud.url, '/console/api/pipeline/__proto__')).status).toBe(404);
    expect((await get(local.cloud.url, '/console/api/pipeline/constructor?x=1')).status).toBe(404);
    const executionArn = 'arn:aws:states:us-east-1:000000000000:execution:m:e';
    for (const name of ['ledger', 'logs', 'dead-letters'])
      expect((await get(sfn.url, view(name, { executionArn }))).status).toBe(404);
  });
});
