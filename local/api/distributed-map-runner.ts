import { randomUUID } from 'node:crypto';
import { runMapRun } from '../engine/distributed-map/map-run.ts';
import type { ChildExecutionRecord } from '../engine/distributed-map/result-entry.ts';
import { StatesError, StatesErrorNames } from '../engine/errors.ts';
import { jsonText } from '../engine/limits.ts';
import type { ObjectStore } from '../engine/item-readers/object-store.ts';
import type { DistributedMapRequest, DistributedMapRunner } from '../engine/ports.ts';
import type { Account } from './arns.ts';
import type { Executions } from './executions.ts';
import type { MapRunRecord } from './store/records.ts';
import type { StateStore } from './store/state-store.ts';

const seconds = () => Date.now() / 1000;

/**
 * Runs Distributed Maps on the API's own executions: every child is a real execution (STANDARD
 * or EXPRESS) with its own history, listed by `mapRunArn`; the Map Run is described by
 * DescribeMapRun. A redrive of the parent reuses the children that succeeded.
 */
export function createDistributedMapRunner(deps: {
  store: StateStore;
  executions: Executions;
  account: Account;
  objectStore?: ObjectStore;
}): DistributedMapRunner {
  const { store, executions, account } = deps;
  return {
    async run(request: DistributedMapRequest): Promise<unknown> {
      if (!deps.objectStore && 'reader' in request.source) {
        throw new StatesError(
          StatesErrorNames.ItemReaderFailed,
          'This emulator has no S3 to read items from (start it with the local cloud)',
        );
      }
      const machineName = request.stateMachineArn.slice(request.stateMachineArn.lastIndexOf(':') + 1);
      const label = request.label ?? request.stateName;
      const childMachineArn = `${request.stateMachineArn}/${label}`;
      const previous = [...store.mapRuns.values()].find(
        (run) =>
          run.executionArn === request.executionArn &&
          run.stateName === request.stateName &&
          run.status !== 'SUCCEEDED',
      );
      const mapRunArn =
        previous?.mapRunArn ??
        `arn:aws:states:${account.region}:${account.accountId}:mapRun:${machineName}/${label}:${randomUUID()}`;
      const record: MapRunRecord = {
        mapRunArn,
        executionArn: request.executionArn,
        stateName: request.stateName,
        stateMachineArn: request.stateMachineArn,
        status: 'RUNNING',
        startDate: previous?.startDate ?? seconds(),
        maxConcurrency: request.maxConcurrency ?? 0,
        toleratedFailurePercentage: request.toleratedFailurePercentage ?? 0,
        toleratedFailureCount: request.toleratedFailureCount ?? 0,
        itemCounts: {},
        executionCounts: {},
        redriveCount: previous ? previous.redriveCount + 1 : 0,
        ...(previous ? { redriveDate: seconds() } : {}),
        children: previous?.children ?? [],
      };
      store.saveMapRun(record);
      request.emit(
        previous ? 'MapRunRedriven' : 'MapRunStarted',
        previous ? { mapRunArn, redriveCount: record.redriveCount } : { mapRunArn },
      );

      const definition = JSON.stringify(request.processor);
      const runChild = async (input: unknown): Promise<ChildExecutionRecord> => {
        const name = randomUUID();
        const started = await executions.start({
          machine: {
            arn: childMachineArn,
            name: `${machineName}/${label}`,
            definition,
            roleArn: 'arn:aws:iam::000000000000:role/chute-local',
            type: request.executionType,
          },
          name,
          input: jsonText(input),
          inputValue: input,
          mapRunArn,
          arn: `arn:aws:states:${account.region}:${account.accountId}:execution:${machineName}/${label}:${name}`,
        });
        const done = await executions.wait(started.executionArn);
        return {
          ExecutionArn: done.executionArn,
          Name: done.name,
          StateMachineArn: childMachineArn,
          Status: done.status,
          StartDate: new Date(done.startDate * 1000).toISOString(),
          ...(done.stopDate ? { StopDate: new Date(done.stopDate * 1000).toISOString() } : {}),
          Input: done.input,
          ...(done.output !== undefined ? { Output: done.output } : {}),
          ...(done.error !== undefined ? { Error: done.error } : {}),
          ...(done.cause !== undefined ? { Cause: done.cause } : {}),
          RedriveCount: done.redriveCount,
        };
      };
      let lastSave = 0;
      try {
        const result = await runMapRun(
          {
            mapRunArn,
            source:
              'reader' in request.source
                ? { reader: request.source.reader }
                : { items: request.source.items },
            selectItem: request.selectItem,
            ...(request.batcher ? { batcher: request.batcher } : {}),
            ...(request.maxConcurrency !== undefined ? { maxConcurrency: request.maxConcurrency } : {}),
            ...(request.toleratedFailurePercentage !== undefined
              ? { toleratedFailurePercentage: request.toleratedFailurePercentage }
              : {}),
            ...(request.toleratedFailureCount !== undefined
              ? { toleratedFailureCount: request.toleratedFailureCount }
              : {}),
            ...(request.resultWriter ? { resultWriter: request.resultWriter } : {}),
            previousChildren: record.children as ChildExecutionRecord[],
          },
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
        const partial = (error as { children?: ChildExecutionRecord[] }).children;
        Object.assign(record, {
          status: request.signal.aborted ? 'ABORTED' : 'FAILED',
          stopDate: seconds(),
          ...(partial ? { children: partial } : {}),
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
