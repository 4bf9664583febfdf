import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Prefixes } from '../../workflow/resource-names.ts';
import { ledgerItemOf } from '../../workflow/ledger-item.ts';
import { UNMETERED_USER_AGENT } from '../metering/edge-meter.ts';
import type { Usage } from '../metering/usage.ts';
import { UsageMeter } from '../metering/usage-meter.ts';
import { startLocalCloud } from '../services/cloud.ts';
import { uploadFile } from '../services/upload-file.ts';
import { deployPipeline } from '../stack.ts';
import { Batching } from '../../workflow/batching.ts';
import { SAMPLE_DATASET, writeSampleFiles } from './sample-files.ts';

export interface MeasuredRun {
  usage: Usage;
  files: number;
  rowsPerFile: number;
  bytesPerFile: number;
  /** How many files ended in each ledger status (all SUCCEEDED in a good run). */
  statuses: Record<string, number>;
  seconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Uploads in flight at once: a burst, as many clients uploading together make one. */
const UPLOADS_IN_FLIGHT = 32;

/** The ledger's statuses, read as the local cloud's own observer (not counted by the meter). */
async function ledgerStatuses(dynamodb: DynamoDBClient, table: string): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const status = ledgerItemOf(item).status ?? 'UNKNOWN';
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return statuses;
}

/**
 * Runs `files` sample files of `rowsPerFile` rows through a fresh local cloud on a temporary data
 * dir, uploaded as a user uploads (S3 PutObject through the edge, so the S3 event and its rule
 * start what the pipeline starts), and returns what the cloud did for them, once every file has
 * a final ledger status and no execution is running. Deploying is not counted.
 */
export async function measureRun(options: {
  files: number;
  rowsPerFile: number;
  databaseUrl?: string;
  timeoutMs?: number;
}): Promise<MeasuredRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chute-cost-'));
  const meter = new UsageMeter();
  const cloud = await startLocalCloud({ dataDir, port: 0, meter }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const observer = new DynamoDBClient({
    endpoint: cloud.url,
    region: cloud.account.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    customUserAgent: UNMETERED_USER_AGENT,
  });
  try {
    // The deployed batch size, with a short window: the burst fills the batches, and a last partial
    // batch does not hold the measurement for a minute.
    const pipeline = await deployPipeline(cloud, {
      dataDir,
      batching: { filesPerExecution: Batching.filesPerExecution, windowSeconds: 2 },
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    }).catch(async (error: unknown) => {
      await cloud.close();
      throw error;
    });
    try {
      const paths = await writeSampleFiles(dataDir, options.files, options.rowsPerFile);
      const { size: bytesPerFile } = await stat(paths[0]!);
      meter.take();
      const started = Date.now();
      const queue = [...paths];
      await Promise.all(
        Array.from({ length: Math.min(UPLOADS_IN_FLIGHT, queue.length) }, async () => {
          for (let path = queue.shift(); path; path = queue.shift())
            await uploadFile(
              cloud.clients.s3,
              pipeline.bucket,
              `${Prefixes.input}${SAMPLE_DATASET}/${basename(path)}`,
              path,
            );
        }),
      );
      const deadline = started + (options.timeoutMs ?? 600_000);
      for (;;) {
        const statuses = await ledgerStatuses(observer, pipeline.ledgerTable);
        const done = Object.entries(statuses)
          .filter(([status]) => status !== 'RUNNING')
          .reduce((sum, [, n]) => sum + n, 0);
        if (done >= options.files && meter.runningExecutions === 0) {
          return {
            usage: meter.take(),
            files: options.files,
            rowsPerFile: options.rowsPerFile,
            bytesPerFile,
            statuses,
            seconds: (Date.now() - started) / 1000,
          };
        }
        if (Date.now() > deadline)
          throw new Error(
            `Only ${done} of ${options.files} files finished within ${(options.timeoutMs ?? 600_000) / 1000} s`,
          );
        await sleep(250);
      }
    } finally {
      await cloud.close();
      await pipeline.close();
    }
  } finally {
    observer.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}
