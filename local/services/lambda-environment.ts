// A Lambda execution environment: a worker thread that imports function code and runs it on JSON
// text, as the Lambda runtime does. Started by lambda-environments.ts, never imported.
import { parentPort } from 'node:worker_threads';
import type { EnvironmentReply, EnvironmentRequest } from './lambda-environments.ts';
import type { LambdaContext, LambdaHandler } from './lambda-runner.ts';

const handlers = new Map<string, Promise<LambdaHandler>>();

function handlerOf(code: string, exportName: string): Promise<LambdaHandler> {
  const key = `${code}#${exportName}`;
  let handler = handlers.get(key);
  if (!handler) {
    handler = import(code).then((module: Record<string, unknown>) => {
      const found = module[exportName];
      if (typeof found !== 'function') throw new Error(`${code} exports no function ${exportName}`);
      return found as LambdaHandler;
    });
    handlers.set(key, handler);
  }
  return handler;
}

async function invoke(request: EnvironmentRequest): Promise<EnvironmentReply> {
  const context: LambdaContext = {
    ...request.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
  };
  try {
    const handler = await handlerOf(request.code, request.handler);
    const result = await handler(JSON.parse(request.event), context);
    return { id: request.id, result: JSON.stringify(result) ?? 'null' };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    return {
      id: request.id,
      error: { name: error.name || 'Error', message: error.message, stack: error.stack ?? '' },
    };
  }
}

parentPort!.on('message', (request: EnvironmentRequest) => {
  void invoke(request).then((reply) => parentPort!.postMessage(reply));
});
