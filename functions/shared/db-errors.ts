import { DatabaseError, TransientError } from './errors.ts';

// SQLSTATEs a retry can outlive: see https://www.postgresql.org/docs/current/errcodes-appendix.html
const transientSqlStates = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '55P03', // lock_not_available
  '57014', // query_canceled (statement_timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

// Node socket errors and pg's own messages when the server goes away.
const transientSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const transientMessages = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
];

/**
 * The one place `pg` errors become ours: anything a retry may fix is a TransientError (the ASL
 * retries it), the rest a DatabaseError. The original is kept as `cause`.
 */
export function translatePgError(error: unknown): TransientError | DatabaseError {
  if (error instanceof TransientError || error instanceof DatabaseError) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const nested = error instanceof AggregateError ? error.errors : [];
  const isTransient =
    (typeof code === 'string' && (transientSqlStates.has(code) || transientSystemCodes.has(code))) ||
    transientMessages.some((pattern) => pattern.test(text)) ||
    nested.some((inner) => translatePgError(inner) instanceof TransientError);
  const summary = `${typeof code === 'string' ? `${code} ` : ''}${text || 'database error'}`;
  return isTransient
    ? new TransientError(`Database unavailable: ${summary}`, { cause: error })
    : new DatabaseError(`Database error: ${summary}`, { cause: error });
}

// Constraint violations that are about one row's values (DESIGN: "constraint → data"); a
// unique violation cannot come from the load's upsert, and a trigger's own exception (P0001) is
// the system's business, so neither is here.
const valueConstraintSqlStates = new Set([
  '23502', // not_null_violation
  '23514', // check_violation
]);

/**
 * True when PostgreSQL refused a statement because of a value in it: SQLSTATE class 22, data
 * exception (22021 invalid byte sequence, 22P05 untranslatable character, 22P02 invalid text
 * representation, 22003 out of range, …), or a NOT NULL or CHECK constraint. Retrying cannot
 * help, but neither is the system at fault: the row that holds the value is, and it is a
 * rejected row, not a failed batch.
 */
export function isValueRefusal(error: unknown): error is DatabaseError {
  const code = error instanceof DatabaseError ? (sqlStateOf(error.cause) ?? '') : '';
  return /^22[0-9A-Z]{3}$/.test(code) || valueConstraintSqlStates.has(code);
}

/** What PostgreSQL said about a refused statement, in one line: SQLSTATE, message and detail. */
export function describeDatabaseRefusal(error: Error): string {
  const { message, detail } = (error.cause ?? {}) as { message?: unknown; detail?: unknown };
  const text = typeof message === 'string' ? message : error.message;
  const more = typeof detail === 'string' && detail ? ` (${detail})` : '';
  return `${sqlStateOf(error.cause) ?? ''} ${text}${more}`.trim();
}

function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
