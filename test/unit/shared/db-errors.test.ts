import { describe, expect, it } from '@jest/globals';
import {
  describeDatabaseRefusal,
  isValueRefusal,
  translatePgError,
} from '../../../functions/shared/db-errors.ts';
import { DatabaseError, TransientError } from '../../../functions/shared/errors.ts';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('translatePgError', () => {
  it.each([
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['serialization failure', pgError('40001')],
    ['deadlock', pgError('40P01')],
    ['too many connections', pgError('53300')],
    ['admin shutdown', pgError('57P01')],
    ['starting up', pgError('57P03')],
    ['statement timeout', pgError('57014')],
    ['every address refused', new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })])],
  ])('%s → TransientError', (_, error) => {
    const translated = translatePgError(error);
    expect(translated).toBeInstanceOf(TransientError);
    expect(translated.cause).toBe(error);
  });

  it.each([
    ['unique violation', pgError('23505', 'duplicate key')],
    ['undefined table', pgError('42P01', 'relation "x" does not exist')],
    ['syntax error', pgError('42601')],
    ['not an error object', 'boom'],
  ])('%s → DatabaseError', (_, error) => {
    expect(translatePgError(error)).toBeInstanceOf(DatabaseError);
  });

  it('keeps an already translated error as it is', () => {
    const error = new TransientError('x');
    expect(translatePgError(error)).toBe(error);
  });
});

describe('isValueRefusal', () => {
  it.each([
    ['22P05', true],
    ['22021', true],
    ['22P02', true],
    ['22003', true],
    ['23502', true],
    ['23514', true],
    ['23505', false],
    ['P0001', false],
    ['42601', false],
  ])('%s → %s', (code, expected) => {
    expect(isValueRefusal(translatePgError(pgError(code)))).toBe(expected);
  });

  it('is false for a lost connection, which stays transient', () => {
    const lost = translatePgError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    expect(isValueRefusal(lost)).toBe(false);
  });

  it("describes PostgreSQL's refusal with its SQLSTATE, message and detail", () => {
    const error = Object.assign(new Error('unsupported Unicode escape sequence'), {
      code: '22P05',
      detail: '\\u0000 cannot be converted to text.',
    });
    expect(describeDatabaseRefusal(translatePgError(error))).toBe(
      '22P05 unsupported Unicode escape sequence (\\u0000 cannot be converted to text.)',
    );
  });
});
