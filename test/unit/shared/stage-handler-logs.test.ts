import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { handler as validateHandler } from '../../../functions/validate/handler.ts';
import { batchOf, orderRecord } from '../../support/batches.ts';

// Powertools' Logger writes JSON lines through a Console of its own on process.stdout/stderr.
let lines: Record<string, unknown>[];
const capture = (chunk: unknown): boolean => {
  for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  return true;
};

beforeEach(() => {
  lines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('a stage handler', () => {
  it('logs one JSON line per invocation with the execution, file, first item and row counts', async () => {
    // Prepare
    const batch = batchOf('orders', [orderRecord(), { order_id: 'bad' }], { firstIndex: 40 });

    // Act
    await validateHandler(batch);

    // Assess
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'validate done',
        service: 'chute-validate',
        stage: 'validate',
        executionArn: batch.BatchInput.executionArn,
        fileId: batch.BatchInput.file.id,
        firstItemIndex: 40,
        rowsIn: 2,
        rowsOut: 1,
        rejected: 1,
        ms: expect.any(Number),
      }),
    ]);
  });

  it('logs an error line with the error and the keys when the handler throws', async () => {
    // Prepare
    const batch = batchOf('orders', [orderRecord()]);
    const malformed = { BatchInput: batch.BatchInput, Items: [{ index: 7, value: {} }, { index: -1 }] };

    // Act
    const failure = validateHandler(malformed);

    // Assess
    await expect(failure).rejects.toThrow('Malformed batch');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'validate failed',
        stage: 'validate',
        executionArn: batch.BatchInput.executionArn,
        fileId: batch.BatchInput.file.id,
        firstItemIndex: 7,
        error: expect.objectContaining({
          name: 'InvalidBatchError',
          message: expect.stringContaining('Items.1.index'),
        }),
      }),
    ]);
  });
});
