import { createRequire } from 'node:module';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { serveObjectFile } from './object-files.ts';
import { createStepFunctionsApi, type StepFunctionsApi } from '../api/server.ts';
import { isPipelineViewRequest } from '../console/pipeline-views.ts';
import { systemClock } from '../engine/clock.ts';
import { UNMETERED_USER_AGENT } from '../metering/edge-meter.ts';
import type { UsageMeter } from '../metering/usage-meter.ts';
import { clientsFor, type AwsClients } from './aws-clients.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { startEdge } from './edge.ts';
import { EventBus } from './eventbridge.ts';
import { executionStatusChangeEvent } from './execution-events.ts';
import { FunctionLogs } from './function-logs.ts';
import { Pipes } from './pipes.ts';
import type { InvocationUsage, LocalFunction } from './lambda-runner.ts';
import { keepFilesPrivate, privateDirectory } from './private-files.ts';
import { objectCreatedEvent } from './s3-events.ts';
import { s3ObjectStore } from './s3-object-store.ts';
import { createTaskRunner } from './task-runner.ts';

const require = createRequire(import.meta.url);
// dynalite ships no types: it returns a plain http.Server.
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface LocalCloud {
  url: string;
  port: number;
  clients: AwsClients;
  bus: EventBus;
  /** EventBridge Pipes (SQS source with batching); they stop first when the cloud closes. */
  pipes: Pipes;
  stepFunctions: StepFunctionsApi;
  /** In-process Lambda functions, by name (deploy adds the pipeline's). */
  functions: Record<string, LocalFunction>;
  /** Each invocation's log lines, what CloudWatch Logs would hold. */
  functionLogs: FunctionLogs;
  /** The console's read-only views of the pipeline, once deploy adds them (404 until then). */
  pipelineViews: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  account: { region: string; accountId: string };
  /** What the cloud has done, in AWS's billing units, when started with a meter. */
  meter: UsageMeter | undefined;
  close(): Promise<void>;
}

// fauxqs persists through node:sqlite, which Node 22 still flags as experimental on every start.
function quietSqliteWarning(): void {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'ExperimentalWarning' && /SQLite/i.test(warning.message)) return;
    for (const listener of listeners) listener(warning);
  });
}

/**
 * Starts the local cloud on one loopback endpoint: S3, SQS and SNS (fauxqs), DynamoDB (dynalite)
 * and Step Functions (ours), all persisted under `dataDir`, with an EventBridge bus that hears
 * S3 uploads and execution endings. What it keeps there is readable by its user only.
 */
export async function startLocalCloud(options: {
  port?: number;
  dataDir: string;
  timeScale?: number;
  /** Step Functions Local's MockConfigFile, for executions started on `…:stateMachine:NAME#TestCase`. */
  mockConfigPath?: string;
  /** Counts what the cloud does in AWS's billing units (`chute cost`). */
  meter?: UsageMeter;
}): Promise<LocalCloud> {
  const meter = options.meter;
  quietSqliteWarning();
  const account = { region: 'us-east-1', accountId: '000000000000' };
  keepFilesPrivate();
  await privateDirectory(options.dataDir, { passThrough: true });
  const lock = await lockDataDir(options.dataDir);
  for (const dir of ['fauxqs', 's3', 'dynamodb', 'stepfunctions'])
    await privateDirectory(join(options.dataDir, dir));
  const fauxqs = await startFauxqs({
    port: 0,
    // An empty host: queue URLs name the Host the client called (the edge, http://127.0.0.1:4566/…),
    // not a `sqs.<region>.127.0.0.1` name that resolves nowhere (patches/fauxqs+2.4.1.patch).
    host: '',
    // Loopback only: fauxqs listens on every interface unless told (patches/fauxqs+2.4.1.patch).
    listenHost: '127.0.0.1',
    logger: false,
    dataDir: join(options.dataDir, 'fauxqs'),
    s3StorageDir: join(options.dataDir, 's3'),
  });
  const dynamo = dynalite({
    path: join(options.dataDir, 'dynamodb'),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
  const bus = new EventBus(meter ? { onEvent: (event) => meter.busEvent(event) } : {});
  const pipes = new Pipes();
  const functions: Record<string, LocalFunction> = {};
  const functionLogs = new FunctionLogs();

  // The edge starts first (the clients need its URL); these two exist once it does.
  const late: {
    stepFunctions?: StepFunctionsApi;
    clients?: AwsClients;
    cloud?: LocalCloud;
    /** Reads an uploaded object back for its S3 event: the cloud's own work, which AWS does not bill. */
    eventsS3?: S3Client;
  } = {};
  // S3 events on their way to EventBridge: closing waits for them (they read the object back
  // through the edge), so an upload that has been answered is never left without its event.
  const notifications = new Set<Promise<void>>();
  const edge = await startEdge(
    {
      stepFunctions: (req, res) => {
        const views = late.cloud?.pipelineViews;
        if (views && isPipelineViewRequest(req)) return views(req, res);
        late.stepFunctions!.handle(req, res);
      },
      dynamodb: `127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
      fauxqs: `127.0.0.1:${fauxqs.port}`,
      getObject: (req, res) => serveObjectFile(join(options.dataDir, 's3'), req, res),
      onObjectWritten: ({ bucket, key, method, headers, requestId }) => {
        const notifying = (async () => {
          const head = await late.eventsS3!.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
          const reason =
            method === 'POST'
              ? 'CompleteMultipartUpload'
              : headers['x-amz-copy-source']
                ? 'CopyObject'
                : 'PutObject';
          await bus.putEvent(
            objectCreatedEvent(
              { bucket, key, size: head.ContentLength ?? 0, etag: head.ETag ?? '', reason, requestId },
              account,
            ),
          );
        })()
          .catch((error: Error) => console.error(`S3 event for s3://${bucket}/${key}: ${error.message}`))
          .finally(() => notifications.delete(notifying));
        notifications.add(notifying);
      },
      ...(meter ? { meter } : {}),
    },
    options.port ?? 4566,
  );
  const clients = (late.clients = clientsFor(edge.url, account.region));
  late.eventsS3 = new S3Client({
    endpoint: edge.url,
    region: account.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    forcePathStyle: true,
    customUserAgent: UNMETERED_USER_AGENT,
  });
  const stepFunctions = (late.stepFunctions = await createStepFunctionsApi({
    dataDir: join(options.dataDir, 'stepfunctions'),
    clock: systemClock(options.timeScale ?? 1),
    taskRunner: createTaskRunner({
      lambdaHandlers: functions,
      clients,
      functionLogs,
      mockConfigPath: options.mockConfigPath,
      ...(meter ? { onInvoked: (usage: InvocationUsage) => meter.lambdaInvoked(usage) } : {}),
    }),
    objectStore: s3ObjectStore(clients.s3),
    account,
    onExecutionEnded: (record) => {
      if (!record.mapRunArn) void bus.putEvent(executionStatusChangeEvent(record, account));
    },
    ...(meter ? { onHistoryEvent: (record, event) => meter.historyEvent(record, event) } : {}),
  }));
  return (late.cloud = {
    url: edge.url,
    port: edge.port,
    clients,
    bus,
    pipes,
    stepFunctions,
    functions,
    functionLogs,
    pipelineViews: undefined,
    account,
    meter,
    async close() {
      await pipes.close();
      await Promise.all(notifications);
      edge.server.closeAllConnections();
      await new Promise((resolve) => edge.server.close(resolve));
      await stepFunctions.close();
      await new Promise((resolve) => dynamo.close(resolve));
      await fauxqs.stop();
      for (const client of Object.values(clients)) client.destroy();
      late.eventsS3?.destroy();
      await lock.release();
    },
  });
}
