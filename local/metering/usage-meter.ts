import type { HistoryEvent } from '../engine/execution-types.ts';
import { transitionsOfEvent, type TransitionCount } from './state-transitions.ts';
import { chunksOf64KB, emptyUsage, type Usage } from './usage.ts';

/** The execution an event belongs to, as much of it as metering needs. */
export interface MeteredExecution {
  executionArn: string;
  type: 'STANDARD' | 'EXPRESS';
  /** Set on a Distributed Map's child: its start is a transition of its parent. */
  mapRunArn?: string;
}

/** Services whose S3 request class decides the price (https://aws.amazon.com/s3/pricing/). */
export type S3RequestClass = 'writeOrList' | 'read' | 'free';

const endEvents = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);
/** AWS bills an EXPRESS execution's duration rounded up to the nearest 100 ms. */
const EXPRESS_BILLING_MS = 100;

/**
 * Counts what the local cloud does, as the services report it: the edge (S3, SQS, SNS, DynamoDB
 * requests), the Step Functions API (history events), the Lambda runner (invocations), the event
 * bus (events). One meter per cloud; `take()` reads and restarts it.
 */
export class UsageMeter {
  #usage: Usage = emptyUsage();
  readonly #executions = new Map<string, TransitionCount & { startedAt: number }>();

  /** One event of an execution's history (EXPRESS ones too: AWS keeps none, the engine still emits them). */
  historyEvent(execution: MeteredExecution, event: HistoryEvent): void {
    const sfn = this.#usage.stepFunctions;
    const arn = execution.executionArn;
    if (event.type === 'ExecutionStarted' || event.type === 'ExecutionRedriven') {
      if (event.type === 'ExecutionStarted') {
        if (execution.type === 'STANDARD') sfn.standardExecutions++;
        else sfn.expressExecutions++;
        if (execution.mapRunArn) sfn.standardTransitions++;
      }
      this.#executions.set(arn, { tasksEntered: 0, scheduled: 0, startedAt: event.timestamp.getTime() });
    }
    const running = this.#executions.get(arn);
    if (!running) return;
    if (execution.type === 'STANDARD') sfn.standardTransitions += transitionsOfEvent(event.type, running);
    if (endEvents.has(event.type)) {
      if (execution.type === 'EXPRESS') {
        const ms = event.timestamp.getTime() - running.startedAt;
        sfn.expressBilledMs += Math.max(1, Math.ceil(ms / EXPRESS_BILLING_MS)) * EXPRESS_BILLING_MS;
      }
      this.#executions.delete(arn);
    }
  }

  /** Executions started (or redriven) and not yet ended. */
  get runningExecutions(): number {
    return this.#executions.size;
  }

  /**
   * An invocation: billed for its time alone (`aloneMs`), as Lambda runs each invocation in an
   * environment of its own, where the local cloud's few threads make them wait their turn.
   */
  lambdaInvoked(invocation: {
    functionName: string;
    durationMs: number;
    aloneMs: number;
    logBytes: number;
  }): void {
    const fn = (this.#usage.lambda[invocation.functionName] ??= {
      invocations: 0,
      durationMs: 0,
      billedMs: 0,
    });
    fn.invocations++;
    fn.durationMs += invocation.durationMs;
    // Lambda bills duration rounded up to the nearest millisecond.
    fn.billedMs += Math.max(1, Math.ceil(invocation.aloneMs));
    this.#usage.logs.ingestedBytes += invocation.logBytes;
  }

  s3Request(requestClass: S3RequestClass): void {
    if (requestClass === 'writeOrList') this.#usage.s3.writeOrListRequests++;
    else if (requestClass === 'read') this.#usage.s3.readRequests++;
  }

  sqsRequest(payloadBytes: number): void {
    this.#usage.sqs.requests += chunksOf64KB(payloadBytes);
  }

  snsPublish(payloadBytes: number): void {
    this.#usage.sns.publishes += chunksOf64KB(payloadBytes);
  }

  dynamodbCapacity(units: { read: number; write: number }): void {
    this.#usage.dynamodb.readRequestUnits += units.read;
    this.#usage.dynamodb.writeRequestUnits += units.write;
  }

  /** An event put on the bus; AWS services' own events (source `aws.*`) to the default bus are free. */
  busEvent(event: unknown): void {
    const source = (event as { source?: unknown } | null)?.source;
    if (typeof source === 'string' && source.startsWith('aws.')) this.#usage.eventBridge.awsServiceEvents++;
    else this.#usage.eventBridge.customEvents += chunksOf64KB(Buffer.byteLength(JSON.stringify(event)));
  }

  /** An event an EventBridge pipe passed on to its target (after filtering): billed per 64 KB. */
  pipeEvent(payloadBytes: number): void {
    this.#usage.pipes.requests += chunksOf64KB(payloadBytes);
  }

  /** What was counted since the last take, and a fresh start. */
  take(): Usage {
    const usage = this.#usage;
    this.#usage = emptyUsage();
    return usage;
  }
}
