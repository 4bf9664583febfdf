import { describe, expect, it } from '@jest/globals';
import { matchesPattern } from '../../../local/services/event-pattern-match.ts';
import { objectCreatedEvent } from '../../../local/services/s3-events.ts';
import {
  errorEqualsOf,
  isKnownErrorName,
  pipelineDefinition,
  placeholdersOf,
  readPipelineAsl,
  substitute,
} from '../../../workflow/definition.ts';
import { Batching } from '../../../workflow/batching.ts';
import { fileUploadedPattern } from '../../../workflow/event-pattern.ts';

const asl = JSON.parse(readPipelineAsl());

interface StatesNode {
  States?: Record<string, StateNode>;
}
interface StateNode {
  Type?: string;
  Retry?: { ErrorEquals?: string[] }[];
  ItemProcessor?: StatesNode;
  Iterator?: StatesNode;
  Branches?: StatesNode[];
}

/** Every error name of every retrier of every state, walking into Map processors and Parallel branches. */
function retriedNames(machine: StatesNode, path = ''): { name: string; at: string }[] {
  return Object.entries(machine.States ?? {}).flatMap(([stateName, state]) => {
    const at = `${path}${stateName}`;
    const own = (state.Retry ?? []).flatMap((retrier, i) =>
      (retrier.ErrorEquals ?? []).map((name) => ({ name, at: `${at} Retry[${i}]` })),
    );
    const nested = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]
      .filter((child): child is StatesNode => child !== undefined)
      .flatMap((child) => retriedNames(child, `${at}/`));
    return [...own, ...nested];
  });
}
const deployValues = Object.fromEntries(
  placeholdersOf(readPipelineAsl())
    .filter((name) => !name.endsWith('Datasets'))
    .map((name) => [name, `value-of-${name}`]),
);

describe('asl/pipeline.asl.json', () => {
  it('substitutes every placeholder and validates', () => {
    const text = pipelineDefinition(deployValues);
    expect(text).not.toMatch(/\$\{/);
    expect(text).toContain("$dataset in ['orders']");
  });

  it('refuses a missing or an unused placeholder value', () => {
    const { BucketName: _dropped, ...missing } = deployValues;
    expect(() => pipelineDefinition(missing)).toThrow(/missing values for BucketName/);
    expect(() => substitute('{"a": "${X}"}', { X: '1', Y: '2' })).toThrow(/unused values Y/);
  });

  it('uses only error names that are States.*, a service error or ours', () => {
    const names = errorEqualsOf(asl);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !isKnownErrorName(n.name))).toEqual([]);
    expect(isKnownErrorName('TransientErorr')).toBe(false);
  });

  it('never retries States.ALL', () => {
    expect(retriedNames(asl).length).toBeGreaterThan(10);
    expect(retriedNames(asl).filter((r) => r.name === 'States.ALL')).toEqual([]);
  });

  it('finds States.ALL in any retrier of any state, nested processors included', () => {
    const retrier = (...names: string[]) => ({ ErrorEquals: names, MaxAttempts: 2 });
    const withSecondRetrier = {
      StartAt: 'Rows',
      States: {
        Rows: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Load',
            States: {
              Load: { Type: 'Task', Retry: [retrier('TransientError'), retrier('Other', 'States.ALL')] },
            },
          },
        },
        Both: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'B', States: { B: { Type: 'Task', Retry: [retrier('States.ALL')] } } }],
        },
      },
    };
    expect(retriedNames(withSecondRetrier).filter((r) => r.name === 'States.ALL')).toEqual([
      { name: 'States.ALL', at: 'Rows/Load Retry[1]' },
      { name: 'States.ALL', at: 'Both/B Retry[0]' },
    ]);
  });

  it('reads each format with its own InputType, batches of 100, results to S3', () => {
    expect(asl.States.ProcessCsvRows.ItemReader.ReaderConfig).toEqual({
      InputType: 'CSV',
      CSVHeaderLocation: 'FIRST_ROW',
    });
    expect(asl.States.ProcessJsonRows.ItemReader.ReaderConfig.InputType).toBe('JSON');
    expect(asl.States.ProcessJsonlRows.ItemReader.ReaderConfig.InputType).toBe('JSONL');
    expect(asl.States.ProcessCsvRows.ItemBatcher.MaxItemsPerBatch).toBe(100);
    expect(asl.States.ProcessCsvRows.ResultWriter.Resource).toBe('arn:aws:states:::s3:putObject');
  });

  it('runs every batch as an EXPRESS child, so a redrive reruns a failed batch from its first stage', () => {
    // A redriven STANDARD child resumes at its unfinished state, here the Fail state it ended in;
    // a Map Run redrive starts EXPRESS children anew with StartExecution
    // (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html).
    for (const format of ['Csv', 'Json', 'Jsonl'])
      expect(asl.States[`Process${format}Rows`].ItemProcessor.ProcessorConfig).toEqual({
        Mode: 'DISTRIBUTED',
        ExecutionType: 'EXPRESS',
      });
  });
});

describe('the batch path (many small files, one execution)', () => {
  const map = asl.States.ProcessFileBatch;

  it('takes an array of SQS records to ProcessFileBatch, anything else that is not an upload event is rejected', () => {
    expect(asl.States.CheckInput.Choices[0].Next).toBe('ProcessFileBatch');
    expect(asl.States.CheckInput.Default).toBe('RejectInvalidInput');
  });

  it('runs the files in EXPRESS children of Batching.filesPerChild files, with no Catch and no tolerated failure', () => {
    // A Catch would make its target the step a redrive restarts from; without one the execution
    // fails at the Map and a redrive reruns only the failed children.
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    expect(map.ItemBatcher.MaxItemsPerBatch).toBe(Batching.filesPerChild);
    expect(map.ToleratedFailurePercentage).toBe(0);
    expect(map.Catch).toBeUndefined();
    expect(map.Label).toBe('Files');
    expect(Object.keys(map.ItemSelector).sort()).toEqual(
      ['bucket', 'claim', 'dataset', 'etag', 'format', 'id', 'key', 'size'].sort(),
    );
  });

  it('fails a child whose files failed with FileBatchFailed, after every file had its turn', () => {
    const child = map.ItemProcessor.States;
    expect(child.AnyFileFailed.Choices[0].Next).toBe('FileBatchFailed');
    expect(child.FileBatchFailed.Error).toBe('FileBatchFailed');
    // Every per-file Task catches, so one file's failure never stops the Inline Map's others.
    const perFile = child.LoadFiles.ItemProcessor.States as Record<
      string,
      { Type: string; Catch?: unknown[] }
    >;
    const uncaught = Object.entries(perFile)
      .filter(([, state]) => state.Type === 'Task' && !state.Catch)
      .map(([name]) => name);
    expect(uncaught).toEqual(['RecordFileFailure', 'FileSendToDeadLetterQueue']);
  });
});

describe('the upload event pattern', () => {
  const pattern = fileUploadedPattern('chute');
  const event = (key: string, bucket = 'chute') =>
    objectCreatedEvent(
      { bucket, key, size: 1, etag: 'e', reason: 'PutObject', requestId: 'r' },
      { region: 'us-east-1', accountId: '0' },
    );

  it.each([
    ['input/orders/a.csv', true],
    ['input/customers/b.json', true],
    ['input/logs/2026/11/c.jsonl', true],
    ['input/orders/a.csv.tmp', false],
    ['results/orders/a.csv', false],
    ['orders/a.csv', false],
    ['input/orders/a.parquet', false],
  ])('%s → %s', (key, starts) => {
    expect(matchesPattern(pattern, event(key))).toBe(starts);
  });

  it('ignores other buckets', () => {
    expect(matchesPattern(pattern, event('input/orders/a.csv', 'other'))).toBe(false);
  });
});
