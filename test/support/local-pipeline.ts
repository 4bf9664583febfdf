import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { startLocalCloud, type LocalCloud } from '../../local/services/cloud.ts';
import { deployPipeline, type DeployedPipeline, type UploadRouting } from '../../local/stack.ts';
import { executionOfFile, waitForRun, type FileRun } from '../../local/cli/wait-for-file.ts';

export interface TestPipeline {
  cloud: LocalCloud;
  pipeline: DeployedPipeline;
  dataDir: string;
  /** Uploads `body` under `key` through the S3 API and waits for the execution that claims it. */
  ingest(key: string, body: string | Buffer): Promise<FileRun & { fileId: string }>;
  stop(): Promise<void>;
}

/**
 * The local cloud on port 0 in a temp dir with the pipeline deployed, against `databaseUrl`
 * (a scratch database per test file), or on `port` (a restart). Retry and Wait delays are scaled
 * to nothing. Every upload starts its own execution (what `ingest` waits for) unless `routing`
 * asks for the small-file batching.
 */
export async function startTestPipeline(
  databaseUrl: string,
  dataDir?: string,
  port = 0,
  routing: UploadRouting = { batching: false },
): Promise<TestPipeline> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'chute-e2e-')));
  const cloud = await startLocalCloud({ port, dataDir: dir, timeScale: 0 });
  const pipeline = await deployPipeline(cloud, { dataDir: dir, databaseUrl, ...routing });
  return {
    cloud,
    pipeline,
    dataDir: dir,
    async ingest(key, body) {
      await cloud.clients.s3.send(new PutObjectCommand({ Bucket: pipeline.bucket, Key: key, Body: body }));
      const head = await cloud.clients.s3.send(new HeadObjectCommand({ Bucket: pipeline.bucket, Key: key }));
      const fileId = `s3://${pipeline.bucket}/${key}#${(head.ETag ?? '').replaceAll('"', '')}`;
      const executionArn = await executionOfFile(cloud.clients, pipeline.ledgerTable, fileId);
      return { ...(await waitForRun(cloud.clients, executionArn)), fileId };
    },
    async stop() {
      await cloud.close();
      await pipeline.close();
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
