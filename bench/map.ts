// `npm run bench:map`: a Distributed Map on the local cloud reading a CSV from S3 (ItemReader,
// batches of 100, a Pass processor), twice: 1,000,000 short rows for items per second, and a 1 GiB
// CSV for the peak memory of the local stack while the Map Run reads it. Each Map Run runs in a
// fresh process started on the data dir that holds the object, so its peak RSS is its own.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { waitForRun } from '../local/cli/wait-for-file.ts';
import { startLocalCloud } from '../local/services/cloud.ts';
import { uploadFile } from '../local/services/upload-file.ts';
import { machineLine, table } from './support/format.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BIG_BYTES = Number(process.env.BENCH_BIG_BYTES ?? 2 ** 30);

interface MapRunFigures {
  seconds: number;
  items: number;
  peakRss: number;
}

function mapDefinition(key: string, writerConfig?: object) {
  return {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
          Parameters: { Bucket: 'bench', Key: key },
        },
        ItemBatcher: { MaxItemsPerBatch: 100 },
        MaxConcurrency: 40,
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'bench', Prefix: 'results' },
          ...(writerConfig ? { WriterConfig: writerConfig } : {}),
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
}

/**
 * VmHWM, the high-water mark of this process's own memory. (`resourceUsage().maxRSS` would not
 * do: Linux carries the parent's peak across fork and exec, and the parent uploaded the file.)
 */
async function peakRssOfThisProcess(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/** In the child process: the local stack on `dataDir`, one execution of the machine, its figures. */
async function runMapHere(dataDir: string, stateMachineArn: string): Promise<MapRunFigures> {
  const cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
  try {
    const start = performance.now();
    const { executionArn } = await cloud.clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: '{}' }),
    );
    const run = await waitForRun(cloud.clients, executionArn!);
    if (run.status !== 'SUCCEEDED')
      throw new Error(`Map run ${run.status} (${run.error ?? ''} ${run.cause ?? ''})`);
    return {
      seconds: (performance.now() - start) / 1000,
      items: run.itemsTotal ?? 0,
      peakRss: await peakRssOfThisProcess(),
    };
  } finally {
    await cloud.close();
  }
}

async function writeCsv(path: string, rows: number, row: (i: number) => string): Promise<number> {
  const out = createWriteStream(path);
  out.write('id,name,amount,note\n');
  for (let i = 0; i < rows; i++) if (!out.write(row(i))) await once(out, 'drain');
  out.end();
  await once(out, 'close');
  return (await stat(path)).size;
}

/** Uploads the CSV into a fresh data dir, defines the Map, and runs it in a process of its own. */
async function measure(
  dir: string,
  name: string,
  rows: number,
  row: (i: number) => string,
  writerConfig?: object,
) {
  const csv = join(dir, `${name}.csv`);
  const bytes = await writeCsv(csv, rows, row);
  const dataDir = join(dir, name);
  const cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
  let stateMachineArn: string;
  try {
    await cloud.clients.s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    await uploadFile(cloud.clients.s3, 'bench', `${name}.csv`, csv);
    const created = await cloud.clients.sfn.send(
      new CreateStateMachineCommand({
        name,
        roleArn: 'arn:aws:iam::000000000000:role/bench',
        definition: JSON.stringify(mapDefinition(`${name}.csv`, writerConfig)),
      }),
    );
    stateMachineArn = created.stateMachineArn!;
  } finally {
    await cloud.close();
  }
  await rm(csv);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...process.execArgv, import.meta.filename, '--run', dataDir, stateMachineArn],
    { maxBuffer: 1 << 20 },
  );
  const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as MapRunFigures;
  if (figures.items !== rows) throw new Error(`${name}: ${figures.items} items of ${rows}`);
  return { bytes, rows, ...figures };
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

if (process.argv[2] === '--run') {
  console.log(JSON.stringify(await runMapHere(process.argv[3]!, process.argv[4]!)));
} else {
  const dir = await mkdtemp(join(tmpdir(), 'chute-bench-map-'));
  try {
    const short = await measure(
      dir,
      'short',
      ROWS,
      (i) => `${i},item ${i},${(i % 1000) / 10},"quoted, with a comma"\n`,
    );
    // Rows of about 1 KiB: about as many child executions, a thousand times the bytes.
    const padding = 'x'.repeat(1000);
    const big = await measure(
      dir,
      'big',
      Math.round(BIG_BYTES / 1040),
      (i) => `${i},item ${i},${(i % 1000) / 10},"${padding}"\n`,
      { Transformation: 'COMPACT', OutputType: 'JSONL' },
    );
    console.log(
      `bench:map — ${machineLine()}; batches of 100, MaxConcurrency 40, Pass processor, ResultWriter on`,
    );
    console.log(
      table(
        ['CSV', 'items', 'child executions', 'seconds', 'items/s', 'peak RSS of the local stack'],
        [short, big].map((m) => [
          mib(m.bytes),
          m.rows,
          Math.ceil(m.rows / 100),
          m.seconds.toFixed(1),
          Math.round(m.rows / m.seconds),
          mib(m.peakRss),
        ]),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
