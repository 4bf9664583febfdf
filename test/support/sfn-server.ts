import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { systemClock } from '../../local/engine/clock.ts';
import type { ObjectStore } from '../../local/engine/item-readers/object-store.ts';
import type { TaskRunner } from '../../local/engine/ports.ts';
import { startStepFunctionsServer } from '../../local/api/server.ts';

export interface RunningSfn {
  client: SFNClient;
  url: string;
  dataDir: string;
  /** Stops the server, keeping its data dir (for restart tests). */
  stop(): Promise<void>;
  /** Stops it and removes its data dir. */
  close(): Promise<void>;
}

const noTasks: TaskRunner = { run: () => Promise.reject(new Error('this test registers no tasks')) };

/** The emulator on port 0 in a temp dir (or a given one), and an SFN client pointed at it. */
export async function startSfn(
  options: {
    dataDir?: string;
    taskRunner?: TaskRunner;
    objectStore?: ObjectStore;
    /** The clock's time scale: 0 (the default) never waits, 1 is real time. */
    timeScale?: number;
    activityPollSeconds?: number;
  } = {},
): Promise<RunningSfn> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'chute-sfn-')));
  const server = await startStepFunctionsServer({
    dataDir,
    port: 0,
    taskRunner: options.taskRunner ?? noTasks,
    clock: systemClock(options.timeScale ?? 0),
    ...(options.activityPollSeconds !== undefined
      ? { activityPollSeconds: options.activityPollSeconds }
      : {}),
    ...(options.objectStore ? { objectStore: options.objectStore } : {}),
  });
  const client = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // StartSyncExecution's `sync-` host prefix cannot resolve on 127.0.0.1.
    disableHostPrefix: true,
  });
  return {
    client,
    url: server.url,
    dataDir,
    stop: () => server.close(),
    async close() {
      client.destroy();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const roleArn = 'arn:aws:iam::000000000000:role/test';

/** Polls DescribeExecution until the execution is no longer RUNNING. */
export async function waitForExecution(client: SFNClient, executionArn: string) {
  const { DescribeExecutionCommand } = await import('@aws-sdk/client-sfn');
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
