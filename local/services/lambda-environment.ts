// A Lambda execution environment: a worker thread that imports function code and runs it on JSON
// text, as the Lambda runtime does. Started by lambda-environments.ts, never imported.
import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { MAX_LINE_LENGTH, MAX_LINES_PER_INVOCATION } from './function-logs.ts';
import type { EnvironmentReply, EnvironmentRequest, EnvironmentOptions } from './lambda-environments.ts';
import type { LambdaContext, LambdaHandler } from './lambda-runner.ts';

const handlers = new Map<string, Promise<LambdaHandler>>();

/** What one invocation wrote, line by line. */
interface Output {
  lines: string[];
  partial: string;
  dropped: number;
}

// Invocations overlap in one environment: each one's output is told apart by its async context.
const outputs = new AsyncLocalStorage<Output>();

function keep(output: Output, text: string): void {
  const parts = (output.partial + text).split('\n');
  output.partial = parts.pop() ?? '';
  for (const line of parts) {
    if (output.lines.length < MAX_LINES_PER_INVOCATION) output.lines.push(line.slice(0, MAX_LINE_LENGTH));
    else output.dropped++;
  }
}

/**
 * What a function writes to stdout and stderr (Powertools' Logger writes its JSON lines there,
 * as console.log does) goes to its invocation's log, as Lambda sends it to CloudWatch Logs, and
 * on to the process's own output only when asked (it would mix into the CLI's).
 */
function captureOutput(stream: NodeJS.WriteStream, echo: boolean): void {
  const write = stream.write.bind(stream);
  const captured = (chunk: unknown, ...rest: unknown[]): boolean => {
    const output = outputs.getStore();
    if (output) keep(output, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    if (echo || !output) return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  };
  // A write stream's write is overloaded; this one takes every form and passes them on as given.
  stream.write = captured as typeof stream.write;
}

const options = workerData as EnvironmentOptions;
captureOutput(process.stdout, options.echoLogs);
captureOutput(process.stderr, options.echoLogs);

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

async function invoke(request: EnvironmentRequest, output: Output): Promise<EnvironmentReply> {
  const context: LambdaContext = {
    ...request.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
  };
  const logs = () => [
    ...output.lines,
    ...(output.partial ? [output.partial.slice(0, MAX_LINE_LENGTH)] : []),
    ...(output.dropped ? [`(${output.dropped} more lines not kept)`] : []),
  ];
  try {
    const handler = await handlerOf(request.code, request.handler);
    const result = await handler(JSON.parse(request.event), context);
    return { id: request.id, result: JSON.stringify(result) ?? 'null', logs: logs() };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    return {
      id: request.id,
      error: { name: error.name || 'Error', message: error.message, stack: error.stack ?? '' },
      logs: logs(),
    };
  }
}

parentPort!.on('message', (request: EnvironmentRequest) => {
  const output: Output = { lines: [], partial: '', dropped: 0 };
  void outputs.run(output, () => invoke(request, output)).then((reply) => parentPort!.postMessage(reply));
});
