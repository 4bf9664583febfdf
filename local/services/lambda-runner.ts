import { randomUUID } from 'node:crypto';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { PipelineLambdaConfig } from '../../workflow/resource-names.ts';
import { StatesError } from '../engine/errors.ts';
import { jsonText, parseWhenRead } from '../engine/limits.ts';
import { SharedTime } from '../metering/shared-time.ts';
import { cloudWatchLines, type FunctionLogs } from './function-logs.ts';
import { FunctionError, type IsolatedFunction, type LambdaEnvironments } from './lambda-environments.ts';

/** A Lambda handler as the Node.js runtime calls it. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

/** A function of the local cloud: a handler run in-process, or code run in an execution environment. */
export type LocalFunction = LambdaHandler | IsolatedFunction;

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

/** `arn:aws:lambda:…:function:NAME[:qualifier]` or a bare name → NAME. */
export function functionNameOf(nameOrArn: string): string {
  const match = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(nameOrArn);
  return match ? match[1]! : nameOrArn.split(':')[0]!;
}

/**
 * A function error as Step Functions reports it: the error is the thrown error's `name` (the
 * runtime's errorType), the cause the runtime's JSON `{errorMessage, errorType, stackTrace}`.
 */
export function functionError(error: unknown): StatesError {
  const thrown = error instanceof Error ? error : new Error(String(error));
  const errorType = thrown.name || 'Error';
  const cause = JSON.stringify({
    errorMessage: thrown.message,
    errorType,
    stackTrace: (thrown.stack ?? '')
      .split('\n')
      .slice(1)
      .map((line) => line.trim()),
  });
  return new StatesError(errorType, cause);
}

/** What an invocation cost, for metering: its duration and the bytes it sent to CloudWatch Logs. */
export interface InvocationUsage {
  functionName: string;
  /** Wall time, as the REPORT line says. */
  durationMs: number;
  /** What it would have taken on an environment of its own (see SharedTime). */
  aloneMs: number;
  logBytes: number;
}

/** The Task state that invokes a function: its invocation's log is filed under its execution. */
export interface Invoker {
  executionArn: string;
  stateName: string;
}

/**
 * Invokes Lambda functions: registered in-process handlers first (the project's own functions,
 * imported as the cloud runs them), else a Lambda endpoint through the real SDK client. What a
 * function run in an environment logs goes to `logs`, by the execution that invoked it.
 */
export function createLambdaRunner(options: {
  handlers?: Record<string, LocalFunction>;
  client?: LambdaClient;
  region?: string;
  logs?: FunctionLogs;
  /** Hears every invocation of a local function (metering). */
  onInvoked?: (usage: InvocationUsage) => void;
}) {
  const handlers = options.handlers ?? {};
  // Each pool of environments shares its threads among the invocations in flight on it.
  const sharedTimes = new WeakMap<LambdaEnvironments, SharedTime>();
  const sharedTimeOf = (environments: LambdaEnvironments) => {
    let time = sharedTimes.get(environments);
    if (!time) sharedTimes.set(environments, (time = new SharedTime(environments.size)));
    return time;
  };
  const record = (
    details: { awsRequestId: string; functionName: string; memoryLimitInMB: string },
    invoker: Invoker | undefined,
    startedAt: number,
    aloneMs: number,
    output: string[],
    error?: string,
  ) => {
    if (!options.logs && !options.onInvoked) return;
    const durationMs = Date.now() - startedAt;
    const requestId = details.awsRequestId;
    const lines = cloudWatchLines(
      { requestId, durationMs, memoryMb: Number(details.memoryLimitInMB) },
      output,
    );
    options.onInvoked?.({
      functionName: details.functionName,
      durationMs,
      aloneMs,
      logBytes: lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0),
    });
    options.logs?.record({
      requestId,
      functionName: details.functionName,
      ...(invoker ? { executionArn: invoker.executionArn, stateName: invoker.stateName } : {}),
      startedAt,
      durationMs,
      ...(error ? { error } : {}),
      lines,
    });
  };
  return {
    /**
     * Invokes a function; its reply comes in a box, as a reply that is still text must not pass
     * through a promise's resolution (which looks for `then` and so would parse it).
     */
    async invoke(
      nameOrArn: string,
      payload: unknown,
      timeoutSeconds = 60,
      invoker?: Invoker,
    ): Promise<{ payload: unknown }> {
      const name = functionNameOf(nameOrArn);
      const handler = handlers[name];
      if (handler) {
        const deadline = Date.now() + timeoutSeconds * 1000;
        const details = {
          awsRequestId: randomUUID(),
          functionName: name,
          functionVersion: '$LATEST',
          invokedFunctionArn: `arn:aws:lambda:${options.region ?? 'us-east-1'}:000000000000:function:${name}`,
          memoryLimitInMB: String(PipelineLambdaConfig.memoryMb),
          logGroupName: `/aws/lambda/${name}`,
          logStreamName: 'local',
        };
        if (typeof handler !== 'function') {
          const startedAt = Date.now();
          const sharedTime = sharedTimeOf(handler.environments);
          const sharedStart = sharedTime.start();
          let result;
          try {
            result = await handler.environments.invoke(handler, jsonText(payload), details, deadline);
          } catch (error) {
            const failed = functionError(error);
            record(
              details,
              invoker,
              startedAt,
              sharedTime.end(sharedStart),
              error instanceof FunctionError ? error.logs : [],
              failed.error,
            );
            throw failed;
          }
          record(details, invoker, startedAt, sharedTime.end(sharedStart), result.logs);
          return { payload: parseWhenRead(result.text) };
        }
        const context: LambdaContext = {
          ...details,
          callbackWaitsForEmptyEventLoop: true,
          getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        };
        try {
          // As the runtime does: the handler gets the event decoded from JSON, never the caller's
          // object, and its result goes back as JSON (one that cannot be fails here).
          const result = await handler(JSON.parse(jsonText(payload)), context);
          jsonText(result);
          return { payload: result };
        } catch (error) {
          throw functionError(error);
        }
      }
      if (!options.client) {
        throw new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${nameOrArn}`);
      }
      let response;
      try {
        response = await options.client.send(
          new InvokeCommand({
            FunctionName: nameOrArn,
            Payload: Buffer.from(jsonText(payload)),
          }),
        );
      } catch (error) {
        const name = (error as Error).name;
        throw new StatesError(`Lambda.${name}`, (error as Error).message);
      }
      const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : 'null';
      if (response.FunctionError) {
        const body = JSON.parse(text) as { errorType?: string };
        throw new StatesError(body.errorType ?? 'Lambda.Unknown', text);
      }
      return { payload: JSON.parse(text || 'null') };
    },
  };
}

export type LambdaRunner = ReturnType<typeof createLambdaRunner>;
