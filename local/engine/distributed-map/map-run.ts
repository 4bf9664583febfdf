import { StatesError, StatesErrorNames } from '../errors.ts';
import { serialisePayload } from '../limits.ts';
import { batchItems } from '../item-readers/item-batcher.ts';
import type { ObjectStore } from '../item-readers/object-store.ts';
import { readItems } from '../item-readers/read-items.ts';
import { MapRunTally, type ChildStatus } from './map-run-counts.ts';
import type { MapRunSpec } from '../ports.ts';
import { resultLinesOf, type ChildExecutionRecord } from './result-entry.ts';
import { ResultSpool } from './result-spool.ts';
import { writeMapRunResults, type ResultWriterDetails } from './result-writer.ts';

/** A Map Run to run: the evaluated Distributed Map (the port's own type) and where it stands. */
export type MapRunConfig = MapRunSpec & {
  mapRunArn: string;
  /** Redrive: the children of the earlier run by index; those that succeeded are not run again. */
  previousChildren?: ChildExecutionRecord[];
};

export interface MapRunPorts {
  store: ObjectStore;
  /**
   * Runs one child execution to its end (never rejects for a failed child: its record says so).
   * On a redrive, `earlier` is that child's unsuccessful run: the port redrives it or starts anew.
   */
  runChild(
    input: unknown,
    index: number,
    signal: AbortSignal,
    earlier?: ChildExecutionRecord,
  ): Promise<ChildExecutionRecord>;
  /** Called whenever the counts change, for DescribeMapRun. */
  onProgress?(tally: MapRunTally): void;
  signal: AbortSignal;
}

export interface MapRunResult {
  /** The Map state's result: the children's outputs in order, or `{MapRunArn, ResultWriterDetails}`. */
  output: unknown;
  children: ChildExecutionRecord[];
  tally: MapRunTally;
}

/**
 * A Map Run that failed, with the children it ran and its counts: a redrive reuses the children
 * that succeeded, and DescribeMapRun reports the counts.
 */
export class MapRunFailure extends StatesError {
  readonly children: ChildExecutionRecord[];
  readonly tally: MapRunTally;

  constructor(
    error: string,
    cause: string | undefined,
    children: ChildExecutionRecord[],
    tally: MapRunTally,
  ) {
    super(error, cause);
    this.children = children;
    this.tally = tally;
  }
}

/** What "no MaxConcurrency" means locally: AWS runs up to 10,000 children, this machine cannot usefully. */
export const defaultConcurrency = 40;

/** The items a child carries: a batch's `Items`, else the one item. */
export const itemCountOf = (input: unknown): number =>
  input && typeof input === 'object' && Array.isArray((input as { Items?: unknown }).Items)
    ? (input as { Items: unknown[] }).Items.length
    : 1;

async function* itemsOf(config: MapRunConfig, store: ObjectStore): AsyncGenerator<unknown> {
  const raw = 'reader' in config.source ? readItems(config.source.reader, store) : config.source.items;
  let index = 0;
  for await (const value of raw) {
    yield config.selectItem ? await config.selectItem(value, index) : value;
    index++;
  }
}

async function* childInputsOf(config: MapRunConfig, store: ObjectStore): AsyncGenerator<unknown> {
  const items = itemsOf(config, store);
  if (config.batcher) yield* batchItems(items, config.batcher);
  else yield* items;
}

function exceedsThreshold(config: MapRunConfig, tally: MapRunTally, totalKnown: boolean): boolean {
  const failed = tally.failedItems;
  if (failed === 0) return false;
  if (config.toleratedFailureCount !== undefined && failed > config.toleratedFailureCount) return true;
  const percentage =
    config.toleratedFailurePercentage ?? (config.toleratedFailureCount === undefined ? 0 : 100);
  // Until every item is read the percentage is not known, except that any failure exceeds 0%.
  if (!totalKnown && percentage > 0) return false;
  return (failed / tally.items.total) * 100 > percentage;
}

/**
 * Runs a Distributed Map's Map Run: streams the items, batches them, runs one child execution per
 * item or batch under MaxConcurrency, stops at the tolerated failure threshold
 * (`States.ExceedToleratedFailureThreshold`) and writes the results when a ResultWriter is set.
 * Reading stays at most MaxConcurrency children ahead, so a huge file is never held in memory.
 */
export async function runMapRun(config: MapRunConfig, ports: MapRunPorts): Promise<MapRunResult> {
  const tally = new MapRunTally();
  const children: ChildExecutionRecord[] = [];
  // Children of an earlier run by index (a slim copy each): kept when they succeeded, else rerun.
  const earlier = config.previousChildren ?? [];
  const limit = config.maxConcurrency || defaultConcurrency;
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(ports.signal.reason);
  ports.signal.addEventListener('abort', onOuterAbort, { once: true });

  const running = new Set<Promise<void>>();
  let thresholdExceeded = false;
  // What ends the Map Run other than its children's failures: a child input over the payload
  // limit, or a child that could not be run at all. Kept here, never left to reject on its own.
  let failure: unknown;
  const failWith = (error: unknown): void => {
    failure ??= error;
    abort.abort(error);
  };
  let totalKnown = false;
  // Exported results go to disk and only a slim record of each child stays in memory.
  const destination = config.resultWriter?.destination;
  const spool = destination && (await ResultSpool.create(config.resultWriter!));
  // A child's input (a whole batch) is in its execution record; its output is kept only for the
  // state's output, when no ResultWriter takes it.
  const keep = async (index: number, record: ChildExecutionRecord): Promise<void> => {
    const { Input: _input, Output: output, ...slim } = record;
    if (spool) await spool.add(record);
    children[index] = spool || output === undefined ? slim : { ...slim, Output: output };
  };

  const launch = (input: unknown, index: number, previous?: ChildExecutionRecord): void => {
    const itemCount = itemCountOf(input);
    try {
      // AWS reports an input over the payload quota as States.DataLimitExceeded, an error no
      // Catch can take (concepts-error-handling.html#error-data-limit-exceed): no child starts
      // with it and the Map Run, then the Map state, fail with it. The text is kept, so the
      // child that does start does not serialise its batch again.
      serialisePayload(
        input,
        `input of the child execution for ${config.batcher ? 'batch' : 'item'} ${index}`,
      );
    } catch (error) {
      failWith(error);
      return;
    }
    tally.started(itemCount, previous !== undefined);
    ports.onProgress?.(tally);
    const run = ports
      .runChild(input, index, abort.signal, previous)
      .then(async (record) => {
        await keep(index, record);
        tally.finished(itemCount, record.Status as ChildStatus);
        if (exceedsThreshold(config, tally, totalKnown)) {
          thresholdExceeded = true;
          abort.abort(new Error('tolerated failure threshold exceeded'));
        }
        ports.onProgress?.(tally);
      })
      // A child that could not be run (its store failed, its record could not be kept) fails the
      // Map Run with that error instead of rejecting where no one waits for it.
      .catch(failWith)
      .finally(() => running.delete(run));
    running.add(run);
  };

  let details: ResultWriterDetails | undefined;
  try {
    let index = 0;
    for await (const input of childInputsOf(config, ports.store)) {
      if (abort.signal.aborted) break;
      const previous = earlier[index];
      if (previous?.Status === 'SUCCEEDED') {
        await keep(index, previous);
        tally.reused(itemCountOf(input));
      } else {
        tally.queued(itemCountOf(input), previous !== undefined);
        while (running.size >= limit) await Promise.race(running);
        if (abort.signal.aborted) break;
        launch(input, index, previous);
      }
      index++;
    }
    totalKnown = true;
    await Promise.all(running);
    if (!thresholdExceeded && exceedsThreshold(config, tally, true)) thresholdExceeded = true;
    // Stopped from outside (StopExecution on the parent): a redrive still reuses what succeeded.
    if (ports.signal.aborted)
      throw new MapRunFailure(StatesErrorNames.Runtime, 'The Map Run was aborted', children, tally);
    if (failure === undefined && spool && destination) {
      const target = { ...destination, mapRunArn: config.mapRunArn };
      try {
        details = await writeMapRunResults(spool, target, ports.store);
      } catch (error) {
        throw new StatesError(
          StatesErrorNames.ResultWriterFailed,
          `Could not write the Map Run results: ${(error as Error).message}`,
        );
      }
      tally.items.resultsWritten = tally.items.total;
      tally.executions.resultsWritten = tally.executions.total;
    }
  } finally {
    abort.abort();
    await Promise.allSettled(running);
    ports.signal.removeEventListener('abort', onOuterAbort);
    await spool?.dispose();
  }
  if (failure !== undefined) {
    const cause = failure instanceof StatesError ? failure : undefined;
    throw new MapRunFailure(
      cause?.error ?? StatesErrorNames.Runtime,
      cause ? cause.causeText : (failure as Error).message,
      children,
      tally,
    );
  }
  if (thresholdExceeded) {
    throw new MapRunFailure(
      StatesErrorNames.ExceedToleratedFailureThreshold,
      'The specified tolerated failure threshold was exceeded',
      children,
      tally,
    );
  }
  return { output: outputOf(config, children, details), children, tally };
}

/** `{MapRunArn, ResultWriterDetails}` when exported; else the children's outputs, shaped by a WriterConfig. */
function outputOf(
  config: MapRunConfig,
  children: ChildExecutionRecord[],
  details: ResultWriterDetails | undefined,
): unknown {
  if (details) return { MapRunArn: config.mapRunArn, ResultWriterDetails: details };
  const transformation = config.resultWriter?.transformation;
  if (transformation)
    return children.flatMap((child) => resultLinesOf(child, transformation)).map((line) => JSON.parse(line));
  return children.map((child) => (child.Output === undefined ? null : JSON.parse(child.Output)));
}
