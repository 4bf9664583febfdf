// `npm run bench:map`: items per second through a Distributed Map on the local cloud (a CSV read
// from S3 by the ItemReader, batches of 100, a Pass processor) and the peak memory of the process.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { waitForRun } from '../local/cli/wait-for-file.ts';
import { startLocalCloud } from '../local/services/cloud.ts';
import { uploadFile } from '../local/services/upload-file.ts';
import { machineLine, table } from './support/format.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const dir = await mkdtemp(join(tmpdir(), 'chute-bench-map-'));
const csv = join(dir, 'items.csv');
const out = createWriteStream(csv);
out.write('id,name,amount,note\n');
for (let i = 0; i < ROWS; i++) {
  if (!out.write(`${i},item ${i},${(i % 1000) / 10},"quoted, with a comma"\n`)) await once(out, 'drain');
}
out.end();
await once(out, 'close');
const bytes = (await stat(csv)).size;

const cloud = await startLocalCloud({ port: 0, dataDir: join(dir, 'cloud'), timeScale: 0 });
try {
  const { s3, sfn } = cloud.clients;
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  await uploadFile(s3, 'bench', 'items.csv', csv);
  const definition = {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
          Parameters: { Bucket: 'bench', Key: 'items.csv' },
        },
        ItemBatcher: { MaxItemsPerBatch: 100 },
        MaxConcurrency: 40,
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'bench', Prefix: 'results' },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'P',
          States: { P: { Type: 'Pass', Result: { ok: true }, End: true } },
        },
        End: true,
      },
    },
  };
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'bench-map',
      roleArn: 'arn:aws:iam::000000000000:role/bench',
      definition: JSON.stringify(definition),
    }),
  );
  const start = performance.now();
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
  const run = await waitForRun(cloud.clients, executionArn!);
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 'SUCCEEDED' || run.itemsTotal !== ROWS)
    throw new Error(
      `Map run ${run.status} with ${run.itemsTotal} items (${run.error ?? ''} ${run.cause ?? ''})`,
    );
  console.log(
    `bench:map — ${machineLine()}; a ${(bytes / 2 ** 20).toFixed(0)} MiB CSV of ${ROWS} rows, batches of 100, MaxConcurrency 40, Pass processor, ResultWriter on`,
  );
  console.log(
    table(
      ['items', 'child executions', 'seconds', 'items/s', 'peak RSS'],
      [
        [
          ROWS,
          Math.ceil(ROWS / 100),
          seconds.toFixed(1),
          Math.round(ROWS / seconds),
          `${Math.round(peakRss / 2 ** 20)} MiB`,
        ],
      ],
    ),
  );
} finally {
  clearInterval(sampler);
  await cloud.close();
  await rm(dir, { recursive: true, force: true });
}
