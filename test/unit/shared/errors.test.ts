import { describe, expect, it } from '@jest/globals';
import {
  ConfigurationError,
  DatabaseError,
  InvalidBatchError,
  TransientError,
} from '../../../functions/shared/errors.ts';
import { UnknownDatasetError } from '../../../workflow/datasets/index.ts';
import { ErrorNames } from '../../../workflow/error-names.ts';

describe('error classes', () => {
  it.each([
    [new TransientError('x'), ErrorNames.Transient],
    [new InvalidBatchError('x'), ErrorNames.InvalidBatch],
    [new UnknownDatasetError('x'), ErrorNames.UnknownDataset],
    [new ConfigurationError('x'), ErrorNames.Configuration],
    [new DatabaseError('x'), ErrorNames.Database],
  ])('%p carries the literal name the ASL matches on', (error, name) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
  });

  it('keeps the cause', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new TransientError('database unreachable', { cause }).cause).toBe(cause);
  });
});
