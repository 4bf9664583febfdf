import { randomUUID } from 'node:crypto';
import { emptyCounts } from '../engine/distributed-map/map-run-counts.ts';
import { itemCountOf, MapRunFailure, runMapRun } from '../engine/distributed-map/map-run.ts';
import type { ChildExecutionRecord } from '../engine/distributed-map/result-entry.ts';
import { StatesError, StatesErrorNames } from '../engine/errors.ts';
import type { ObjectStore } from '../engine/item-readers/object-store.ts';
import { jsonText } from '../engine/limits.ts';
import type { DistributedMapRequest, DistributedMapRunner } from '../engine/ports.ts';
import type { Account } from './arns.ts';
import type { ExecutionRecord, MachineRecord, MapRunRecord } from './store/records.ts';
import type { StateStore } from './store/state-store.ts';

const seconds = () => Date.now() / 1000;

/** What the runner needs of the executions service: its port, so neither holds the other. */
export interface ChildExecutions {
  start(options: {
    machine: Pick<MachineRecord, 'arn' | 'name' | 'definition' | 'roleArn' | 'type'>;
    name: string;
    arn: string;
    input: string;
    inputValue: unknown;
    mapRunArn: string;
    itemCount: number;
  }): Promise<ExecutionRecord>;
  wait(arn: string): Promise<ExecutionRecord>;
  /** Redrives a STANDARD child from the state it failed in, same ARN; undefined when it cannot be. */
  redriveChild(arn: string): Promise<ExecutionRecord | undefined>;
}

/** A child as the Map Run (and its result files) keep it. */
function childRecordOf(done: ExecutionRecord): ChildExecutionRecord {
  return {
    ExecutionArn: done.executionArn,
    Name: done.name,
    StateMachineArn: done.stateMachineArn,
    Status: done.status,
    StartDate: new Date(done.startDate * 1000).toISOString(),
    ...(done.stopDate ? { StopDate: new Date(done.stopDate * 1000).toISOString() } : {}),
    Input: done.input,
    ...(done.output !== undefined ? { Output: done.output } : {}),
    ...(done.error !== undefined ? { Error: done.error } : {}),
    ...(done.cause !== undefined ? { Cause: done.cause } : {}),
    RedriveCount: done.redriveCount,
  };
}

/**
 * Runs Distributed Maps on the API's own executions: every child is a real execution (STANDARD
 * or EXPRESS), listed by `mapRunArn`; the Map Run is described by DescribeMapRun. A redrive of
 * the parent reruns the children that did not succeed as AWS does
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html): a STANDARD child is
 * redriven (same ARN, from the state it failed in), an EXPRESS child is started anew.
 */
export function createDistributedMapRunner(deps: {
  store: StateStore;
  children: ChildExecutions;
  account: Account;
  objectStore?: ObjectStore;
}): DistributedMapRunner {
  const { store, children, account } = deps;
  return {
    async run(request: DistributedMapRequest): Promise<unknown> {
      if (!deps.objectStore && 'reader' in request.source) {
        throw new StatesError(
          StatesErrorNames.ItemReaderFailed,
          'This emulator has no S3 to read items from (start it with the local cloud)',
        );
      }
      const machineName = request.stateMachineArn.slice(request.stateMachineArn.lastIndexOf(':') + 1);
      const previous = [...store.mapRuns.values()].find(
        (run) =>
          run.executionArn === request.executionArn &&
          run.stateName === request.stateName &&
          run.status !== 'SUCCEEDED',
      );
      // Without a Label, AWS names the Map Run and its children's state machine with a UUID:
      // `stateMachine:<name>/<MapRunLabel or UUID>` (concepts-examine-map-run.html).
      const label = previous?.label ?? request.label ?? randomUUID();
      const childMachineArn = `${request.stateMachineArn}/${label}`;
      const mapRunArn =
        previous?.mapRunArn ??
        `arn:aws:states:${account.region}:${account.accountId}:mapRun:${machineName}/${label}:${randomUUID()}`;
      const record: MapRunRecord = {
        mapRunArn,
        executionArn: request.executionArn,
        stateName: request.stateName,
        label,
        stateMachineArn: childMachineArn,
        status: 'RUNNING',
        startDate: previous?.startDate ?? seconds(),
        maxConcurrency: request.maxConcurrency ?? 0,
        toleratedFailurePercentage: request.toleratedFailurePercentage ?? 0,
        toleratedFailureCount: request.toleratedFailureCount ?? 0,
        itemCounts: emptyCounts(),
        executionCounts: emptyCounts(),
        redriveCount: previous ? previous.redriveCount + 1 : 0,
        ...(previous ? { redriveDate: seconds() } : {}),
        children: previous?.children ?? [],
      };
      store.saveMapRun(record);
      request.emit(
        previous ? 'MapRunRedriven' : 'MapRunStarted',
        previous ? { mapRunArn, redriveCount: record.redriveCount } : { mapRunArn },
      );

      const machine = {
        arn: childMachineArn,
        name: `${machineName}/${label}`,
        definition: JSON.stringify(request.processor),
        roleArn: 'arn:aws:iam::000000000000:role/chute-local',
        type: request.executionType,
      };
      const startChild = async (input: unknown): Promise<ExecutionRecord> => {
        const name = randomUUID();
        const kind = request.executionType === 'EXPRESS' ? 'express' : 'execution';
        const started = await children.start({
          machine,
          name,
          arn: `arn:aws:states:${account.region}:${account.accountId}:${kind}:${machine.name}:${name}`,
          input: jsonText(input),
          inputValue: input,
          mapRunArn,
          itemCount: itemCountOf(input),
          ...(request.testCase ? { testCase: request.testCase } : {}),
        });
        return children.wait(started.executionArn);
      };
      const runChild = async (
        input: unknown,
        _index: number,
        _signal: AbortSignal,
        earlier?: ChildExecutionRecord,
      ) => {
        if (earlier && request.executionType === 'STANDARD') {
          const redriven = await children.redriveChild(earlier.ExecutionArn);
          // Not redrivable (its history is full, it failed before its first state): it stays failed.
          return redriven ? childRecordOf(await children.wait(redriven.executionArn)) : earlier;
        }
        return childRecordOf(await startChild(input));
      };
      let lastSave = 0;
      try {
        const result = await runMapRun(
          { ...request, mapRunArn, previousChildren: record.children as ChildExecutionRecord[] },
          {
            store: deps.objectStore ?? unavailableStore,
            runChild,
            onProgress(tally) {
              record.itemCounts = { ...tally.items };
              record.executionCounts = { ...tally.executions };
              if (Date.now() - lastSave > 1000) {
                lastSave = Date.now();
                store.saveMapRun(record);
              }
            },
            signal: request.signal,
          },
        );
        Object.assign(record, {
          status: 'SUCCEEDED',
          stopDate: seconds(),
          itemCounts: { ...result.tally.items },
          executionCounts: { ...result.tally.executions },
          children: result.children,
        });
        store.saveMapRun(record);
        request.emit('MapRunSucceeded');
        return result.output;
      } catch (error) {
        const failure =
          error instanceof StatesError
            ? error
            : new StatesError(StatesErrorNames.Runtime, (error as Error).message);
        Object.assign(record, {
          status: request.signal.aborted ? 'ABORTED' : 'FAILED',
          stopDate: seconds(),
          ...(error instanceof MapRunFailure
            ? {
                children: error.children,
                itemCounts: { ...error.tally.items },
                executionCounts: { ...error.tally.executions },
              }
            : {}),
        });
        store.saveMapRun(record);
        request.emit(request.signal.aborted ? 'MapRunAborted' : 'MapRunFailed', {
          error: failure.error,
          cause: failure.causeText ?? '',
        });
        throw failure;
      }
    },
  };
}

const unavailableStore: ObjectStore = {
  getObject: () => Promise.reject(new Error('no S3 configured')),
  putObject: () => Promise.reject(new Error('no S3 configured')),
  listObjects: () => (async function* () {})(),
};
