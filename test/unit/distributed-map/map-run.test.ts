import { describe, expect, it } from '@jest/globals';
import { runMapRun, type MapRunConfig } from '../../../local/engine/distributed-map/map-run.ts';
import type { ChildExecutionRecord } from '../../../local/engine/distributed-map/result-entry.ts';
import { memoryObjectStore } from '../../support/memory-object-store.ts';

const mapRunArn = 'arn:aws:states:us-east-1:000000000000:mapRun:pipeline/ProcessRows:5f0c1a2b';
const csv = ['id', ...Array.from({ length: 10 }, (_, i) => String(i))].join('\n');

interface Batch {
  BatchInput: { file: string };
  Items: { id: string }[];
}

/**
 * A child "execution" that succeeds unless one of its items is listed as bad. The engine and the
 * API run real children; this test is about the Map Run's own rules.
 */
function childRunner(
  bad: Set<string> = new Set(),
  outputOf: (batch: Batch) => unknown = (batch) => ({ loaded: batch.Items.length }),
) {
  const ran: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const runChild = async (input: unknown, index: number): Promise<ChildExecutionRecord> => {
    ran.push(index);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    const failed = (input as Batch).Items.some((item) => bad.has(item.id));
    return {
      ExecutionArn: `${mapRunArn}:${index}`,
      Name: String(index),
      StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:pipeline/ProcessRows',
      Status: failed ? 'FAILED' : 'SUCCEEDED',
      StartDate: '2026-11-22T10:00:00.000Z',
      StopDate: '2026-11-22T10:00:01.000Z',
      Input: JSON.stringify(input),
      ...(failed
        ? { Error: 'TransientError', Cause: 'db down' }
        : { Output: JSON.stringify(outputOf(input as Batch)) }),
      RedriveCount: 0,
    };
  };
  return { runChild, ran, maxInFlight: () => maxInFlight };
}

const config = (extra: Partial<MapRunConfig> = {}): MapRunConfig => ({
  mapRunArn,
  source: {
    reader: {
      resource: 'arn:aws:states:::s3:getObject',
      parameters: { Bucket: 'chute', Key: 'input/orders/a.csv' },
      readerConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
    },
  },
  batcher: { maxItemsPerBatch: 3, batchInput: { file: 'a.csv' } },
  maxConcurrency: 2,
  ...extra,
});

describe('runMapRun', () => {
  it('batches the items, runs one child per batch within MaxConcurrency and returns outputs in order', async () => {
    const store = memoryObjectStore({ 'chute/input/orders/a.csv': csv });
    const children = childRunner();

    const result = await runMapRun(config(), {
      store,
      runChild: children.runChild,
      signal: new AbortController().signal,
    });

    expect(result.output).toEqual([{ loaded: 3 }, { loaded: 3 }, { loaded: 3 }, { loaded: 1 }]);
    expect(children.maxInFlight()).toBeLessThanOrEqual(2);
    expect(result.tally.items).toMatchObject({ total: 10, succeeded: 10, failed: 0, pending: 0, running: 0 });
    expect(result.tally.executions).toMatchObject({ total: 4, succeeded: 4 });
  });

  it('writes the results with a ResultWriter and returns where they are', async () => {
    const store = memoryObjectStore({ 'chute/input/orders/a.csv': csv });
    const children = childRunner(new Set(['4']));

    const result = await runMapRun(
      config({
        resultWriter: {
          destination: { bucket: 'chute', prefix: 'results/' },
          transformation: 'NONE',
          outputType: 'JSON',
        },
        toleratedFailureCount: 3,
      }),
      {
        store,
        runChild: children.runChild,
        signal: new AbortController().signal,
      },
    );

    expect(result.output).toEqual({
      MapRunArn: mapRunArn,
      ResultWriterDetails: { Bucket: 'chute', Key: 'results/5f0c1a2b/manifest.json' },
    });
    const manifest = JSON.parse(String(store.objects['chute/results/5f0c1a2b/manifest.json']));
    expect(manifest).toEqual({
      DestinationBucket: 'chute',
      MapRunArn: mapRunArn,
      ResultFiles: {
        FAILED: [{ Key: 'results/5f0c1a2b/FAILED_0.json', Size: expect.any(Number) }],
        PENDING: [],
        SUCCEEDED: [{ Key: 'results/5f0c1a2b/SUCCEEDED_0.json', Size: expect.any(Number) }],
      },
    });
    const succeeded = JSON.parse(String(store.objects['chute/results/5f0c1a2b/SUCCEEDED_0.json']));
    expect(Buffer.byteLength(String(store.objects['chute/results/5f0c1a2b/SUCCEEDED_0.json']))).toBe(
      manifest.ResultFiles.SUCCEEDED[0].Size,
    );
    expect(succeeded.map((entry: { Name: string }) => entry.Name).sort()).toEqual(['0', '2', '3']);
    expect(succeeded[0]).toMatchObject({
      Status: 'SUCCEEDED',
      RedriveStatus: 'NOT_REDRIVABLE',
      InputDetails: { Included: true },
    });
    const failed = JSON.parse(String(store.objects['chute/results/5f0c1a2b/FAILED_0.json']));
    expect(failed).toEqual([
      expect.objectContaining({ Name: '1', Error: 'TransientError', Cause: 'db down', Status: 'FAILED' }),
    ]);
    expect(failed[0]).not.toHaveProperty('Output');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
  it('writes COMPACT results as JSON Lines: outputs of the children that succeeded, entries of the others', async () => {
    const store = memoryObjectStore({ 'chute/input/orders/a.csv': csv });

    const result = await runMapRun(
      config({
        resultWriter: {
          destination: { bucket: 'chute', prefix: 'results' },
          transformation: 'COMPACT',
          outputType: 'JSONL',
        },
        toleratedFailureCount: 3,
      }),
      { store, runChild: childRunner(new Set(['4'])).runChild, signal: new AbortController().signal },
    );

    const manifest = JSON.parse(String(store.objects['chute/results/5f0c1a2b/manifest.json']));
    expect(manifest.ResultFiles.SUCCEEDED).toEqual([
      { Key: 'results/5f0c1a2b/SUCCEEDED_0.jsonl', Size: expect.any(Number) },
    ]);
    const succeeded = String(store.objects['chute/results/5f0c1a2b/SUCCEEDED_0.jsonl']);
    expect(Buffer.byteLength(succeeded)).toBe(manifest.ResultFiles.SUCCEEDED[0].Size);
    expect(
      succeeded
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([{ loaded: 3 }, { loaded: 3 }, { loaded: 1 }]);
    const failed = String(store.objects['chute/results/5f0c1a2b/FAILED_0.jsonl']).trimEnd().split('\n');
    expect(failed.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ Name: '1', Status: 'FAILED', Error: 'TransientError' }),
    ]);
    expect(result.output).toMatchObject({ ResultWriterDetails: { Key: 'results/5f0c1a2b/manifest.json' } });
  });

  it('with a WriterConfig alone shapes the output without exporting: FLATTEN joins array outputs', async () => {
    const store = memoryObjectStore({ 'chute/input/orders/a.csv': csv });
    const ids = (batch: Batch) => batch.Items.map((item) => Number(item.id));

    const result = await runMapRun(
      config({ resultWriter: { transformation: 'FLATTEN', outputType: 'JSON' } }),
      { store, runChild: childRunner(new Set(), ids).runChild, signal: new AbortController().signal },
    );

    expect(result.output).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Object.keys(store.objects)).toEqual(['chute/input/orders/a.csv']);
  });

  it('with Transformation NONE alone returns every child with its metadata', async () => {
    const store = memoryObjectStore({ 'chute/input/orders/a.csv': csv });

    const result = await runMapRun(config({ resultWriter: { transformation: 'NONE', outputType: 'JSON' } }), {
      store,
      runChild: childRunner().runChild,
      signal: new AbortController().signal,
    });

    expect(result.output).toHaveLength(4);
    expect((result.output as unknown[])[0]).toMatchObject({
      Name: '0',
      Status: 'SUCCEEDED',
      Output: JSON.stringify({ loaded: 3 }),
      OutputDetails: { Included: true },
    });
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html
  it.each([
    ['0% (the default) and one failed batch', {}, ['4'], true],
    ['a count of 3 with 3 failed items', { toleratedFailureCount: 3 }, ['4'], false],
    ['a count of 2 with 3 failed items', { toleratedFailureCount: 2 }, ['4'], true],
    ['30% with 3 of 10 items failed', { toleratedFailurePercentage: 30 }, ['4'], false],
    ['29% with 3 of 10 items failed', { toleratedFailurePercentage: 29 }, ['4'], true],
  ])('tolerated failure: %s', async (_case, threshold, bad, fails) => {
    const store = memoryObjectStore({ 'chute/input/orders/a.csv': csv });
    const run = runMapRun(config({ ...threshold, maxConcurrency: 1 }), {
      store,
      runChild: childRunner(new Set(bad)).runChild,
      signal: new AbortController().signal,
    });

    if (fails) await expect(run).rejects.toMatchObject({ error: 'States.ExceedToleratedFailureThreshold' });
    else await expect(run).resolves.toBeDefined();
  });

  it('on redrive runs only the children that did not succeed', async () => {
    const store = memoryObjectStore({ 'chute/input/orders/a.csv': csv });
    const first = childRunner(new Set(['4', '9']));
    const failedRun = runMapRun(config({ toleratedFailureCount: 10 }), {
      store,
      runChild: first.runChild,
      signal: new AbortController().signal,
    });
    const { children } = await failedRun;
    const second = childRunner();

    const result = await runMapRun(config({ previousChildren: children }), {
      store,
      runChild: second.runChild,
      signal: new AbortController().signal,
    });

    expect(second.ran.sort()).toEqual([1, 3]);
    expect(result.output).toEqual([{ loaded: 3 }, { loaded: 3 }, { loaded: 3 }, { loaded: 1 }]);
    expect(result.tally.items).toMatchObject({ total: 10, succeeded: 10 });
  });

  it('fails with States.ItemReaderFailed when the object cannot be read', async () => {
    const run = runMapRun(config(), {
      store: memoryObjectStore(),
      runChild: childRunner().runChild,
      signal: new AbortController().signal,
    });

    await expect(run).rejects.toMatchObject({ error: 'States.ItemReaderFailed' });
  });

  it('reads no further ahead than MaxConcurrency children', async () => {
    let read = 0;
    const items = (async function* () {
      for (let i = 0; i < 100_000; i++) {
        read++;
        yield { id: String(i) };
      }
    })();
    let highestReadWhileRunning = 0;
    const children = childRunner();
    const runChild = (input: unknown, index: number) => {
      highestReadWhileRunning = Math.max(highestReadWhileRunning, read - index * 3);
      return children.runChild(input, index);
    };
    // An async iterable stands in for a huge object: the Map Run must pull it lazily.
    const streaming = config({ source: { items }, maxConcurrency: 2 });

    await runMapRun(streaming, {
      store: memoryObjectStore(),
      runChild,
      signal: new AbortController().signal,
    });

    expect(highestReadWhileRunning).toBeLessThanOrEqual(3 * 3 + 1);
  }, 30_000); // 100,000 children: about a second alone, more late in a full in-band run
  // A row of 5 MiB between good ones (issue 12): the child input it makes is over 256 KiB.
  it('fails with States.DataLimitExceeded, starting no child with an input over 256 KiB', async () => {
    const big = 'x'.repeat(300 * 1024);
    const store = memoryObjectStore({
      'chute/input/orders/a.csv': ['id', '0', '1', '2', big, '4', '5', '6'].join('\n'),
    });
    const children = childRunner();

    const failure = await runMapRun(config({ maxConcurrency: 1 }), {
      store,
      runChild: children.runChild,
      signal: new AbortController().signal,
    }).catch((error: unknown) => error);

    expect(failure).toMatchObject({
      error: 'States.DataLimitExceeded',
      causeText: expect.stringMatching(
        /^The input of the child execution for batch 1 has a size of 30\d{4} bytes/,
      ),
      // The batch before it succeeded: a redrive reuses it.
      children: [expect.objectContaining({ Status: 'SUCCEEDED' })],
    });
    expect(children.ran).toEqual([0]);
  });

  it('fails with the error of a child that could not be run, rejecting nowhere else', async () => {
    const store = memoryObjectStore({ 'chute/input/orders/a.csv': csv });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const runChild = async (_input: unknown, index: number): Promise<ChildExecutionRecord> => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error(`the store refused child ${index}`);
    };

    const run = runMapRun(config({ maxConcurrency: 1 }), {
      store,
      runChild,
      signal: new AbortController().signal,
    });

    await expect(run).rejects.toMatchObject({
      error: 'States.Runtime',
      causeText: 'the store refused child 0',
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
