import { ErrorNames } from '../../workflow/error-names.ts';

// Each class sets a literal `name`: Lambda reports it as errorType and the ASL's ErrorEquals
// matches on it, so it must survive bundlers that rename classes.

/** A failure that may go away on retry (connection refused, timeout, serialization failure). */
export class TransientError extends Error {
  override readonly name = ErrorNames.Transient;
}

/** The batch envelope does not match the stage's input schema. */
export class InvalidBatchError extends Error {
  override readonly name = ErrorNames.InvalidBatch;
}

/** The function's configuration (environment, secret) is missing or invalid. */
export class ConfigurationError extends Error {
  override readonly name = ErrorNames.Configuration;
}

/** The database refused a statement for a reason a retry will not fix. */
export class DatabaseError extends Error {
  override readonly name = ErrorNames.Database;
}

/** A small file could not be read as its format (the same rules as the Distributed Map's ItemReader). */
export class UnreadableFileError extends Error {
  override readonly name = ErrorNames.UnreadableFile;
}
