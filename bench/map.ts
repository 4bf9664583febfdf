// `npm run bench:map`: a Distributed Map on the local cloud reading a CSV from S3 (ItemReader,
// batches of 100, a Pass processor), twice: 1,000,000 short rows for items per second, and a 1 GiB
// CSV for the peak memory of the local stack while the file is uploaded and while the Map Run reads
// it. Each runs in a fresh process (upload and Map Run both), so its peak RSS is its own.
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
  uploadPeakRss: number;
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

/**
 * In the child process: the local stack on a fresh `dataDir`, the CSV uploaded into it (a multipart
 * upload in 8 MiB parts, as the AWS CLI sends a big file), one execution of the Map, and the peak
 * memory after the upload and after the Map Run.
 */
async function runMapHere(
  dataDir: string,
  csv: string,
  name: string,
  writerConfig?: object,
): Promise<MapRunFigures> {
  const cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
  try {
    await cloud.clients.s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    await uploadFile(cloud.clients.s3, 'bench', `${name}.csv`, csv);
    const uploadPeakRss = await peakRssOfThisProcess();
    const { stateMachineArn } = await cloud.clients.sfn.send(
      new CreateStateMachineCommand({
        name,
        roleArn: 'arn:aws:iam::000000000000:role/bench',
        definition: JSON.stringify(mapDefinition(`${name}.csv`, writerConfig)),
      }),
    );
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
      uploadPeakRss,
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

/** Writes the CSV, then uploads it and runs the Map in a process of its own (its peak RSS is its own). */
async function measure(
  dir: string,
  name: string,
  rows: number,
  row: (i: number) => string,
  writerConfig?: object,
) {
  const csv = join(dir, `${name}.csv`);
  const bytes = await writeCsv(csv, rows, row);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      ...process.execArgv,
      import.meta.filename,
      '--run',
      join(dir, name),
      csv,
      name,
      JSON.stringify(writerConfig ?? null),
    ],
    { maxBuffer: 1 << 20 },
  );
  await rm(csv);
  const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as MapRunFigures;
  if (figures.items !== rows) throw new Error(`${name}: ${figures.items} items of ${rows}`);
  return { bytes, rows, ...figures };
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

if (process.argv[2] === '--run') {
  const [dataDir, csv, name, writerConfig] = process.argv.slice(3) as [string, string, string, string];
  const config = (JSON.parse(writerConfig) as object | null) ?? undefined;
  console.log(JSON.stringify(await runMapHere(dataDir, csv, name, config)));
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
        ['CSV', 'items', 'child executions', 'seconds', 'items/s', 'peak RSS: upload', 'upload + Map Run'],
        [short, big].map((m) => [
          mib(m.bytes),
          m.rows,
          Math.ceil(m.rows / 100),
          m.seconds.toFixed(1),
          Math.round(m.rows / m.seconds),
          mib(m.uploadPeakRss),
          mib(m.peakRss),
        ]),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
