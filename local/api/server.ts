import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isConsoleRequest, serveConsole } from '../console/serve-console.ts';
import { systemClock } from '../engine/clock.ts';
import type { ObjectStore } from '../engine/item-readers/object-store.ts';
import type { Clock, TaskRunner } from '../engine/ports.ts';
import { LogGroups } from '../services/log-groups.ts';
import { answerLogsRequest, LOGS_TARGET_PREFIX } from '../services/logs-api.ts';
import { ApiError } from './api-error.ts';
import type { Account } from './arns.ts';
import { Executions, type ExecutionDeps } from './executions.ts';
import { withNestedExecutions } from './nested-executions.ts';
import { route } from './router.ts';
import type { ApiServices } from './services.ts';
import { StateStore } from './store/state-store.ts';
import { TaskTokens } from './task-tokens.ts';
import type { ExecutionRecord } from './store/records.ts';

export interface StepFunctionsApiOptions {
  dataDir: string;
  taskRunner: TaskRunner;
  clock?: Clock;
  account?: Partial<Account>;
  /** S3 for Distributed Map item readers and result writers. */
  objectStore?: ObjectStore;
  /** Told of every execution that ends. */
  onExecutionEnded?: (record: ExecutionRecord) => void;
  /** Hears every history event of every execution, EXPRESS ones too (metering). */
  onHistoryEvent?: ExecutionDeps['onHistoryEvent'];
  /** How long GetActivityTask waits for a task before answering none: 60 s, as on AWS. */
  activityPollSeconds?: number;
}

export interface StepFunctionsApi {
  handle(req: IncomingMessage, res: ServerResponse): void;
  services: ApiServices;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES)
        reject(new ApiError('ValidationException', 'The request is larger than 1 MiB'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, protocol = '1.0'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': `application/x-amz-json-${protocol}`,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
  });
  res.end(text);
}

/**
 * An error as AWS JSON 1.0 carries it. An operation the service does not have is refused by
 * AWS's request framework (Coral) before Step Functions sees it: 400 and only
 * `{"__type":"com.amazon.coral.service#UnknownOperationException"}`, as other Coral services
 * answer (e.g. github.com/aws/aws-sdk-go/issues/3689, github.com/aws/aws-sdk-net/issues/1536).
 */
function errorBody(error: ApiError): Record<string, string> {
  if (error.type === 'UnknownOperationException')
    return { __type: 'com.amazon.coral.service#UnknownOperationException' };
  return {
    __type: `com.amazonaws.swf.service.v2.model#${error.type}`,
    message: error.message,
    ...error.fields,
  };
}

/**
 * The Step Functions API (AWS JSON 1.0) over the engine: `handle` serves one HTTP request, so it
 * can run alone (`startStepFunctionsServer`) or behind the local cloud's shared endpoint.
 * Executions left RUNNING by a process that died are marked FAILED (and so redrivable) on start.
 */
export async function createStepFunctionsApi(options: StepFunctionsApiOptions): Promise<StepFunctionsApi> {
  const clock = options.clock ?? systemClock();
  const account: Account = {
    region: options.account?.region ?? 'us-east-1',
    accountId: options.account?.accountId ?? '000000000000',
  };
  const store = await StateStore.open(options.dataDir);
  const taskTokens = new TaskTokens();
  // The state machines' CloudWatch Logs: in memory, bounded, empty at each start.
  const logGroups = new LogGroups();
  const executions = new Executions({
    store,
    // Read when a task runs, by then `services` below is built.
    taskRunner: withNestedExecutions(options.taskRunner, () => services),
    taskTokens,
    clock,
    account,
    logGroups,
    ...(options.onExecutionEnded ? { onExecutionEnded: options.onExecutionEnded } : {}),
    ...(options.onHistoryEvent ? { onHistoryEvent: options.onHistoryEvent } : {}),
    ...(options.objectStore ? { objectStore: options.objectStore } : {}),
  });
  await executions.failInterrupted();
  const services: ApiServices = {
    store,
    executions,
    account,
    taskRunner: options.taskRunner,
    clock,
    now: () => clock.now().getTime() / 1000,
    taskTokens,
    activityPollMs: (options.activityPollSeconds ?? 60) * 1000,
    logGroups,
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // The console is a page that calls this API from the same origin.
    if (isConsoleRequest(req)) return serveConsole(req, res);
    void (async () => {
      try {
        if (req.method !== 'POST')
          throw new ApiError(
            'UnknownOperationException',
            `Step Functions takes POST requests, not ${req.method}`,
          );
        const text = await readBody(req);
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          throw new ApiError('SerializationException', 'The request body is not valid JSON');
        }
        const target = req.headers['x-amz-target'];
        // The state machines' logs are read where AWS keeps them, with the CloudWatch Logs API.
        if (typeof target === 'string' && target.startsWith(LOGS_TARGET_PREFIX)) {
          const answer = answerLogsRequest(target, body, logGroups);
          return send(res, answer.status, answer.body, '1.1');
        }
        send(res, 200, await route(target as string | undefined, body, services));
      } catch (error) {
        if (error instanceof ApiError) send(res, error.status, errorBody(error));
        else {
          console.error(error);
          send(res, 500, {
            __type: 'com.amazonaws.swf.service.v2.model#InternalFailure',
            message: (error as Error).message,
          });
        }
      }
    })();
  };
  return {
    handle,
    services,
    async close() {
      taskTokens.close();
      await executions.close();
      await store.close();
    },
  };
}

/** Starts the API alone on 127.0.0.1 (like Step Functions Local); port 0 picks a free port. */
export async function startStepFunctionsServer(
  options: StepFunctionsApiOptions & { port?: number; host?: string },
): Promise<{ url: string; api: StepFunctionsApi; close(): Promise<void> }> {
  const api = await createStepFunctionsApi(options);
  const server = createServer(api.handle);
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 8083, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    api,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await api.close();
    },
  };
}
