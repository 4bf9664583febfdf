import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { startStepFunctionsServer } from '../api/server.ts';
import { systemClock } from '../engine/clock.ts';
import type { LocalCloud } from '../services/cloud.ts';
import { createTaskRunner, type TaskRunnerOptions } from '../services/task-runner.ts';

export interface RunningEmulator {
  /** The Step Functions endpoint, e.g. http://127.0.0.1:41234. */
  url: string;
  client: SFNClient;
  close(): Promise<void>;
}

/** An SFN client for a local endpoint: dummy credentials, and no `sync-` host prefix (it cannot resolve on 127.0.0.1). */
export function sfnClient(url: string, region = 'us-east-1'): SFNClient {
  return new SFNClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    disableHostPrefix: true,
  });
}

// A temp dir unless the caller keeps the data somewhere; removed on close only if ours.
async function dataDirFor(dataDir: string | undefined): Promise<{ dir: string; owned: boolean }> {
  return dataDir
    ? { dir: dataDir, owned: false }
    : { dir: await mkdtemp(join(tmpdir(), 'chute-testing-')), owned: true };
}

/**
 * The Step Functions emulator alone on 127.0.0.1, port 0. Tasks go to `mockConfig` (Step
 * Functions Local's MockConfigFile) for executions started on `arn…:stateMachine:NAME#TestCase`,
 * else to `lambdaHandlers` and the SDK clients. Waits and retries do not wait unless `timeScale`
 * says so.
 */
export async function startEmulator(
  options: TaskRunnerOptions & { dataDir?: string; timeScale?: number } = {},
): Promise<RunningEmulator> {
  const { dataDir, timeScale, ...runner } = options;
  const data = await dataDirFor(dataDir);
  const server = await startStepFunctionsServer({
    dataDir: data.dir,
    port: 0,
    clock: systemClock(timeScale ?? 0),
    taskRunner: createTaskRunner(runner),
  });
  const client = sfnClient(server.url);
  return {
    url: server.url,
    client,
    async close() {
      client.destroy();
      await server.close();
      if (data.owned) await rm(data.dir, { recursive: true, force: true });
    },
  };
}

/**
 * The whole local cloud (S3, SQS, SNS, DynamoDB, EventBridge, Step Functions) on one endpoint,
 * port 0; `mockConfigPath` as for `startEmulator`.
 */
export async function startCloud(
  options: { dataDir?: string; timeScale?: number; mockConfigPath?: string } = {},
): Promise<RunningEmulator & { cloud: LocalCloud }> {
  // Loaded here, not above: a suite that wants the emulator alone never loads fauxqs and dynalite.
  const { startLocalCloud } = await import('../services/cloud.ts');
  const data = await dataDirFor(options.dataDir);
  const cloud = await startLocalCloud({
    port: 0,
    dataDir: data.dir,
    timeScale: options.timeScale ?? 0,
    ...(options.mockConfigPath ? { mockConfigPath: options.mockConfigPath } : {}),
  });
  return {
    url: cloud.url,
    client: cloud.clients.sfn,
    cloud,
    async close() {
      await cloud.close();
      if (data.owned) await rm(data.dir, { recursive: true, force: true });
    },
  };
}
