import { randomUUID } from 'node:crypto';
import { parseDefinition } from '../engine/definition/parse-definition.ts';
import { compileDefinition } from '../engine/compile/compile-machine.ts';
import type { CompiledMachine } from '../engine/compile/compiled-machine.ts';
import { jsonText } from '../engine/limits.ts';
import { StatesError, StatesErrorNames } from '../engine/errors.ts';
import type { ExecutionResult, HistoryEvent, RunOptions } from '../engine/execution-types.ts';
import { runExecution } from '../engine/execution.ts';
import type { ObjectStore } from '../engine/item-readers/object-store.ts';
import type { Clock, DistributedMapRunner, TaskCallbacks, TaskRunner } from '../engine/ports.ts';
import type { LogGroups } from '../services/log-groups.ts';
import { ApiError } from './api-error.ts';
import { executionArn, type Account } from './arns.ts';
import { createDistributedMapRunner } from './distributed-map-runner.ts';
import { findRedriveStart } from './redrive-point.ts';
import { executionLogWriter } from './state-machine-logging.ts';
import type { StateStore } from './store/state-store.ts';
import type { ExecutionRecord, MachineRecord } from './store/records.ts';

export interface ExecutionDeps {
  store: StateStore;
  taskRunner: TaskRunner;
  /** Task tokens for `.waitForTaskToken` Tasks and activities. */
  taskTokens?: TaskCallbacks;
  clock: Clock;
  account: Account;
  /** S3 for Distributed Map item readers and result writers. */
  objectStore?: ObjectStore;
  /** Told of every execution that ends (the local EventBridge's `Execution Status Change`). */
  onExecutionEnded?: (record: ExecutionRecord) => void;
  /** Where executions of machines with a logging configuration log their events. */
  logGroups?: LogGroups;
  /** Hears every history event of every execution, EXPRESS ones too (metering). */
  onHistoryEvent?: (record: ExecutionRecord, event: HistoryEvent) => void;
}

const seconds = (date: Date) => date.getTime() / 1000;

/** The error and cause an execution fails with when something throws out of it. */
function failureOf(thrown: unknown): { error: string; cause: string } {
  if (thrown instanceof StatesError) return { error: thrown.error, cause: thrown.causeText ?? '' };
  return {
    error: StatesErrorNames.Runtime,
    cause: thrown instanceof Error ? thrown.message : String(thrown),
  };
}
const REDRIVE_WINDOW_DAYS = 14;

/** Starts, stops, redrives and awaits executions, keeping their records and histories in the store. */
const payloadEvents = new Set(['ExecutionStarted', 'ExecutionSucceeded']);

export class Executions {
  readonly #deps: ExecutionDeps;
  /** Runs Distributed Maps, their children being executions of this service (through its port). */
  readonly #distributedMap: DistributedMapRunner;
  readonly #running = new Map<string, { abort: AbortController; done: Promise<ExecutionRecord> }>();
  // Once closing, running executions are left RUNNING on disk: the next start fails them as interrupted.
  #closing = false;

  constructor(deps: ExecutionDeps) {
    this.#deps = deps;
    this.#distributedMap = createDistributedMapRunner({
      store: deps.store,
      account: deps.account,
      ...(deps.objectStore ? { objectStore: deps.objectStore } : {}),
      children: {
        start: (options) => this.start(options),
        wait: (arn) => this.wait(arn),
        redriveChild: (arn) => this.#redriveChild(arn),
      },
    });
  }

  // A definition is validated and compiled once, not once per execution or Map Run child.
  readonly #definitions = new Map<string, CompiledMachine>();
  #compiled(text: string): CompiledMachine {
    let definition = this.#definitions.get(text);
    if (!definition) {
      definition = compileDefinition(parseDefinition(text));
      if (this.#definitions.size > 100) this.#definitions.clear();
      this.#definitions.set(text, definition);
    }
    return definition;
  }

  /**
   * Marks executions left RUNNING by a process that died as FAILED (error States.Runtime), with
   * an ExecutionFailed event, so they can be redriven rather than hanging forever.
   */
  async failInterrupted(): Promise<number> {
    const { store, clock } = this.#deps;
    let count = 0;
    for (const record of store.executions.values()) {
      if (record.status !== 'RUNNING') continue;
      const cause =
        'The emulator stopped while this execution was running. Redrive it to continue from the state that was running.';
      const history = await store.readHistory(record.executionArn);
      const lastEventId = history.at(-1)?.id ?? record.lastEventId;
      if (record.type === 'STANDARD') {
        store.appendEvent(record.executionArn, {
          id: lastEventId + 1,
          previousEventId: lastEventId,
          timestamp: clock.now(),
          type: 'ExecutionFailed',
          executionFailedEventDetails: { error: StatesErrorNames.Runtime, cause },
        });
        store.endHistory(record.executionArn);
      }
      store.saveExecution({
        ...record,
        status: 'FAILED',
        error: StatesErrorNames.Runtime,
        cause,
        stopDate: seconds(clock.now()),
        lastEventId: lastEventId + 1,
      });
      count++;
    }
    return count;
  }

  /** Starts an execution of a stored machine (or of a given definition, for Map Run children). */
  async start(options: {
    machine: Pick<MachineRecord, 'arn' | 'name' | 'definition' | 'roleArn' | 'type'>;
    name?: string;
    input: string;
    /** The input already decoded (a Map Run's batch), so it is not parsed again. */
    inputValue?: unknown;
    testCase?: string;
    mapRunArn?: string;
    itemCount?: number;
    arn?: string;
    /** The version it runs and the alias that picked it (StartExecution on their ARNs). */
    versionArn?: string;
    aliasArn?: string;
  }): Promise<ExecutionRecord> {
    const { store, clock, account } = this.#deps;
    const name = options.name ?? randomUUID();
    const arn =
      options.arn ?? executionArn(account, options.machine.name, name, options.machine.type === 'EXPRESS');
    const record: ExecutionRecord = {
      executionArn: arn,
      stateMachineArn: options.machine.arn,
      definition: options.machine.definition,
      name,
      type: options.machine.type,
      status: 'RUNNING',
      startDate: seconds(clock.now()),
      input: options.input,
      roleArn: options.machine.roleArn,
      redriveCount: 0,
      lastEventId: 0,
      ...(options.testCase ? { testCase: options.testCase } : {}),
      ...(options.mapRunArn ? { mapRunArn: options.mapRunArn } : {}),
      ...(options.itemCount !== undefined ? { itemCount: options.itemCount } : {}),
      ...(options.versionArn ? { stateMachineVersionArn: options.versionArn } : {}),
      ...(options.aliasArn ? { stateMachineAliasArn: options.aliasArn } : {}),
    };
    store.saveExecution(record);
    this.#run(record, 'inputValue' in options ? options.inputValue : JSON.parse(options.input));
    return record;
  }

  /**
   * Runs an execution in the background. Whatever goes wrong inside it (a definition that does
   * not parse, an input over the payload limit, a throw from a port) ends that execution FAILED
   * with `States.Runtime` or the StatesError thrown; nothing it does can reject where no one
   * waits, so no execution can take the process down.
   */
  #run(record: ExecutionRecord, input: unknown, startAt?: RunOptions['startAt']): void {
    const { store, clock, taskRunner, taskTokens } = this.#deps;
    const abort = new AbortController();
    let lastEventId = record.lastEventId;
    // AWS keeps no history of an EXPRESS execution (it logs to CloudWatch Logs instead):
    // GetExecutionHistory is "not supported by EXPRESS state machines" (API_GetExecutionHistory.html).
    const keepsHistory = record.type === 'STANDARD';
    // An EXPRESS Map Run child keeps only its start and end on disk, never served as a history:
    // DescribeExecution answers its input and output from them, so thousands of batches are not
    // held in memory (the store's records of finished children are slim).
    const keepsPayloads = record.mapRunArn !== undefined;
    // Undefined unless its machine logs: a run without logging pays one check per event.
    const log = this.#deps.logGroups && executionLogWriter(record, store, this.#deps.logGroups);
    const onEvent = (event: HistoryEvent) => {
      if (this.#closing) return;
      lastEventId = event.id;
      this.#deps.onHistoryEvent?.(record, event);
      if (keepsHistory || (keepsPayloads && payloadEvents.has(event.type)))
        store.appendEvent(record.executionArn, event);
      log?.(event);
    };
    const run = async (): Promise<ExecutionResult> => {
      try {
        return await runExecution(this.#compiled(record.definition), input, {
          context: {
            executionArn: record.executionArn,
            executionName: record.name,
            stateMachineArn: record.stateMachineArn,
            stateMachineName: record.stateMachineArn.slice(record.stateMachineArn.lastIndexOf(':') + 1),
            roleArn: record.roleArn,
            startTime: new Date(record.startDate * 1000).toISOString(),
            redriveCount: record.redriveCount,
            ...(record.testCase ? { testCase: record.testCase } : {}),
          },
          taskRunner,
          ...(taskTokens ? { callbacks: taskTokens } : {}),
          clock,
          onEvent,
          signal: abort.signal,
          lastEventId: record.lastEventId,
          distributedMap: this.#distributedMap,
          ...(startAt ? { startAt } : {}),
        });
      } catch (thrown) {
        // runExecution reports a workflow's own failures as a result: this is one it could not
        // (it threw before its first event, or while writing one). The history still says why.
        const failure = failureOf(thrown);
        try {
          onEvent({
            id: lastEventId + 1,
            previousEventId: lastEventId,
            timestamp: clock.now(),
            type: 'ExecutionFailed',
            executionFailedEventDetails: failure,
          });
        } catch {
          // The history cannot take it either: the record below still says FAILED and why.
        }
        return { status: 'FAILED', ...failure };
      }
    };
    const done = run().then((result) => this.#finish(record.executionArn, result, lastEventId));
    this.#running.set(record.executionArn, { abort, done });
    done.finally(() => this.#running.delete(record.executionArn)).catch(() => {});
  }

  async #finish(arn: string, result: ExecutionResult, lastEventId: number): Promise<ExecutionRecord> {
    const { store, clock } = this.#deps;
    if (this.#closing) return store.executions.get(arn)!;
    store.endHistory(arn);
    const current = store.executions.get(arn)!;
    const finished: ExecutionRecord = {
      ...current,
      status: result.status,
      stopDate: seconds(clock.now()),
      lastEventId,
      ...(result.status === 'SUCCEEDED' ? { output: jsonText(result.output) } : {}),
    };
    delete finished.error;
    delete finished.cause;
    delete finished.finishedWork;
    if (result.status !== 'SUCCEEDED') {
      if (result.error !== undefined) finished.error = result.error;
      if (result.cause !== undefined) finished.cause = result.cause;
      if ('finished' in result && result.finished) finished.finishedWork = result.finished;
    }
    store.saveExecution(finished);
    try {
      this.#deps.onExecutionEnded?.(finished);
    } catch (error) {
      // A listener's failure (the local EventBridge) is not the execution's: it has ended as recorded.
      console.error(`After ${arn} ended:`, error);
    }
    return finished;
  }

  /** Resolves when the execution has ended. */
  async wait(arn: string): Promise<ExecutionRecord> {
    const running = this.#running.get(arn);
    if (running) return running.done;
    const record = await this.#deps.store.loadExecution(arn);
    if (!record) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  /** StopExecution: aborts a running execution with an optional error and cause. */
  async stop(arn: string, error?: string, cause?: string): Promise<number> {
    const running = this.#running.get(arn);
    if (running) {
      running.abort.abort({ error, cause });
      await running.done;
    }
    return seconds(this.#deps.clock.now());
  }

  /** Why an execution cannot be redriven, or undefined when it can (AWS's rules). */
  redriveRefusal(record: ExecutionRecord): string | undefined {
    // A Map Run's EXPRESS children too are rerun by a redrive of the parent (redrive-map-run.html).
    if (record.mapRunArn) return 'A Map Run child execution is redriven through its parent';
    if (record.type === 'EXPRESS') return 'Execution is of type EXPRESS and cannot be redriven';
    if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(record.status)) {
      return `Execution is ${record.status} and cannot be redriven`;
    }
    const ageDays = (seconds(this.#deps.clock.now()) - (record.stopDate ?? record.startDate)) / 86_400;
    if (ageDays > REDRIVE_WINDOW_DAYS) return 'Execution ended more than 14 days ago and cannot be redriven';
    if (record.lastEventId >= 24_999) return 'Execution history is at its limit of 25,000 events';
    return undefined;
  }

  /** RedriveExecution: continues a failed execution from the state that failed, same ARN. */
  async redrive(arn: string): Promise<ExecutionRecord> {
    const record = this.#deps.store.executions.get(arn);
    if (!record) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    const refusal = this.redriveRefusal(record);
    if (refusal) throw new ApiError('ExecutionNotRedrivable', refusal);
    const redriven = await this.#continue(arn);
    if (!redriven)
      throw new ApiError(
        'ExecutionNotRedrivable',
        'Execution failed before entering any state and cannot be redriven',
      );
    return redriven;
  }

  /**
   * A Map Run's redrive of one of its STANDARD children that did not succeed: the child goes on
   * from the state it failed in, under its own ARN (redrive-map-run.html). Undefined when it
   * cannot be redriven: it stays as it ended.
   */
  async #redriveChild(arn: string): Promise<ExecutionRecord | undefined> {
    const record = this.#deps.store.executions.get(arn);
    if (!record || record.type !== 'STANDARD') return undefined;
    if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(record.status)) return undefined;
    if (record.lastEventId >= 24_999) return undefined;
    return this.#continue(arn);
  }

  /** Runs a stopped execution again from its redrive point; undefined when it has none. */
  async #continue(arn: string): Promise<ExecutionRecord | undefined> {
    const { store, clock } = this.#deps;
    // The whole record: a finished Map Run child keeps its input only in its history.
    const record = (await store.loadExecution(arn))!;
    const startAt = findRedriveStart(await store.readHistory(arn));
    if (!startAt) return undefined;
    const redriven: ExecutionRecord = {
      ...record,
      status: 'RUNNING',
      redriveCount: record.redriveCount + 1,
      redriveDate: seconds(clock.now()),
    };
    delete redriven.stopDate;
    delete redriven.error;
    delete redriven.cause;
    delete redriven.finishedWork;
    store.saveExecution(redriven);
    const reuse =
      record.finishedWork?.stateName === startAt.stateName ? record.finishedWork.outputs : undefined;
    this.#run(redriven, JSON.parse(redriven.input), { ...startAt, ...(reuse ? { finished: reuse } : {}) });
    return redriven;
  }

  /** Stops every running execution without recording an end: see `failInterrupted`. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const { abort } of this.#running.values())
      abort.abort({ error: 'States.Runtime', cause: 'The emulator is shutting down' });
    await Promise.allSettled([...this.#running.values()].map((r) => r.done));
  }
}
