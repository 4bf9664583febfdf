import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { waitForRun } from '../../../local/cli/wait-for-file.ts';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';
import { s3ObjectStore } from '../../../local/services/s3-object-store.ts';
import { PART_BYTES, uploadFile } from '../../../local/services/upload-file.ts';

// The collector, callable from a test: what the run holds is measured, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const ROWS = 250_000;
const filler = 'x'.repeat(360);

async function md5Of(chunks: AsyncIterable<Buffer>): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

async function writeWideCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,label,padding\n');
  for (let i = 0; i < ROWS; i++) {
    if (!out.write(`${i},"row ${i}, quoted",${filler}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

const liveMemory = () => {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external; // external includes arrayBuffers
};

/** liveMemory once freed buffers are gone: V8 releases an ArrayBuffer's bytes on another thread. */
async function settledLiveMemory(): Promise<number> {
  liveMemory();
  await new Promise((resolve) => setTimeout(resolve, 100));
  return liveMemory();
}

/**
 * How much more live memory `work` held at its peak than at its least, sampled every 500 ms.
 * From the least, not from the start: buffers freed on the way cannot hide growth. Each sample
 * is a full collection (every 100 ms made the tests crawl on a heap left large by the test files
 * before them); holding a whole object would show for far longer than that.
 */
async function liveMemoryGrowth(work: () => Promise<void>): Promise<number> {
  let least = liveMemory();
  let peak = least;
  const sampler = setInterval(() => {
    const now = liveMemory();
    peak = Math.max(peak, now);
    least = Math.min(least, now);
  }, 500);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, liveMemory()) - least;
}

describe('big objects on the local cloud', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  let fileBytes: number;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chute-big-'));
    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
    await cloud.clients.s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    const csv = join(dataDir, 'wide.csv');
    await writeWideCsv(csv);
    await uploadFile(cloud.clients.s3, 'big', 'wide.csv', csv);
    const head = await cloud.clients.s3.send(
      new GetObjectCommand({ Bucket: 'big', Key: 'wide.csv', Range: 'bytes=0-0' }),
    );
    fileBytes = Number(head.ContentRange!.split('/')[1]);
  }, 120_000);
  afterAll(async () => {
    await cloud.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('GetObject of a big object streams it, whole or by Range; conditional requests still answer', async () => {
    const whole = await cloud.clients.s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'wide.csv' }));
    let bytes = 0;
    let firstLine = '';
    for await (const chunk of whole.Body as AsyncIterable<Buffer>) {
      if (!firstLine) firstLine = chunk.toString('utf8').split('\n')[0]!;
      bytes += chunk.length;
    }
    expect(bytes).toBe(fileBytes);
    expect(firstLine).toBe('id,label,padding');

    const tail = await cloud.clients.s3.send(
      new GetObjectCommand({ Bucket: 'big', Key: 'wide.csv', Range: 'bytes=-20' }),
    );
    expect(tail.ContentRange).toBe(`bytes ${fileBytes - 20}-${fileBytes - 1}/${fileBytes}`);
    expect(await tail.Body!.transformToString()).toBe(`${filler.slice(0, 19)}\n`);

    await expect(
      cloud.clients.s3.send(
        new GetObjectCommand({ Bucket: 'big', Key: 'wide.csv', IfNoneMatch: whole.ETag }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 304 } });
    await cloud.clients.s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'small.txt', Body: 'hello' }));
    const small = await cloud.clients.s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'small.txt' }));
    expect(await small.Body!.transformToString()).toBe('hello');
  });

  it('a big object uploaded with a checksum streams with its checksum, never whole in memory', async () => {
    // Act: the SDK asks for the checksum (x-amz-checksum-mode: ENABLED) on every GetObject. The
    // reader pauses after its first chunk, long enough for the sampler to see what the server holds
    // for it meanwhile: a streamed file a few chunks, an object read into memory all of it.
    let stored: GetObjectCommandOutput | undefined;
    let bytes = 0;
    await settledLiveMemory(); // what the upload before it left is gone, not counted as growth
    const growth = await liveMemoryGrowth(async () => {
      stored = await cloud.clients.s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'wide.csv' }));
      for await (const chunk of stored.Body as AsyncIterable<Buffer>) {
        if (bytes === 0) await new Promise((resolve) => setTimeout(resolve, 1_500));
        bytes += chunk.length;
      }
    });

    // Assess: uploadFile's multipart upload stored a CRC32 of its parts' CRC32s.
    expect(stored!.ChecksumCRC32).toMatch(
      new RegExp(`^[A-Za-z0-9+/]{6}==-${Math.ceil(fileBytes / PART_BYTES)}$`),
    );
    expect(stored!.ChecksumType).toBe('COMPOSITE');
    expect(bytes).toBe(fileBytes);
    // Read into memory, the object alone would be all of fileBytes (122 MB measured before the edge
    // streamed it); streamed, a few chunks plus what the SDK and the sockets hold while the reader
    // pauses: 11–33 MB measured across runs, so the bound is half the object.
    expect(growth).toBeLessThan(fileBytes / 2);
  }, 120_000);

  it(`a Distributed Map over ${ROWS.toLocaleString('en')} rows (about 100 MB) reads them with bounded memory`, async () => {
    const definition = JSON.stringify({
      StartAt: 'Rows',
      States: {
        Rows: {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
            Parameters: { Bucket: 'big', Key: 'wide.csv' },
          },
          ItemBatcher: { MaxItemsPerBatch: 500 },
          MaxConcurrency: 10,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Count',
            States: {
              Count: { Type: 'Pass', Parameters: { 'rows.$': 'States.ArrayLength($.Items)' }, End: true },
            },
          },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await cloud.clients.sfn.send(
      new CreateStateMachineCommand({
        name: 'wide',
        definition,
        roleArn: 'arn:aws:iam::000000000000:role/test',
      }),
    );
    const growth = await liveMemoryGrowth(async () => {
      const { executionArn } = await cloud.clients.sfn.send(
        new StartExecutionCommand({ stateMachineArn, input: '{}' }),
      );
      const run = await waitForRun(cloud.clients, executionArn!);
      expect(run.status).toBe('SUCCEEDED');
      const { mapRuns } = await cloud.clients.sfn.send(new ListMapRunsCommand({ executionArn }));
      const described = await cloud.clients.sfn.send(
        new DescribeMapRunCommand({ mapRunArn: mapRuns![0]!.mapRunArn }),
      );
      expect(described.itemCounts).toMatchObject({ total: ROWS, succeeded: ROWS });
      expect(described.executionCounts).toMatchObject({ total: ROWS / 500, succeeded: ROWS / 500 });
    });
    // Holding the object, or every row, would take at least the file's size; streaming takes
    // a few batches at a time.
    expect(fileBytes).toBeGreaterThan(95_000_000);
    expect(growth).toBeLessThan(fileBytes / 2);
  }, 600_000);

  it('a multipart upload of a big object keeps its parts on disk, not in memory', async () => {
    const csv = join(dataDir, 'wide.csv');
    const partBytes = 8 * 1024 * 1024;
    const key = { Bucket: 'big', Key: 'again.csv' };
    const before = await settledLiveMemory();
    const { UploadId } = await cloud.clients.s3.send(new CreateMultipartUploadCommand(key));
    const parts: { ETag: string; PartNumber: number }[] = [];
    for (let offset = 0; offset < fileBytes; offset += partBytes) {
      const end = Math.min(offset + partBytes, fileBytes);
      const { ETag } = await cloud.clients.s3.send(
        new UploadPartCommand({
          ...key,
          UploadId,
          PartNumber: parts.length + 1,
          Body: createReadStream(csv, { start: offset, end: end - 1 }),
          ContentLength: end - offset,
        }),
      );
      parts.push({ ETag: ETag!, PartNumber: parts.length + 1 });
    }
    // Every part is in, none completed: fauxqs as published holds them all in memory here (and
    // then a copy of them all while completing).
    const held = (await settledLiveMemory()) - before;
    expect(held).toBeLessThan(fileBytes / 4);
    await cloud.clients.s3.send(
      new CompleteMultipartUploadCommand({ ...key, UploadId, MultipartUpload: { Parts: parts } }),
    );

    const stored = await cloud.clients.s3.send(new GetObjectCommand(key));
    expect(stored.ETag).toMatch(new RegExp(`^"[0-9a-f]{32}-${parts.length}"$`));
    expect(await md5Of(stored.Body as AsyncIterable<Buffer>)).toBe(await md5Of(createReadStream(csv)));
  }, 300_000);

  it("the result writer's store sends a stream of more than a part as a multipart upload, intact", async () => {
    // Prepare: 20 MiB, three parts of 8 MiB (the store's part size).
    const csv = join(dataDir, 'wide.csv');
    const slice = { start: 0, end: 20 * 1024 * 1024 - 1 };

    // Act
    await s3ObjectStore(cloud.clients.s3).putObject('big', 'results.json', createReadStream(csv, slice));

    // Assess
    const stored = await cloud.clients.s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'results.json' }));
    expect(stored.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(stored.ContentType).toBe('application/json');
    expect(await md5Of(stored.Body as AsyncIterable<Buffer>)).toBe(await md5Of(createReadStream(csv, slice)));
  }, 120_000);
});
