/**
 * A mistake the user can fix (a missing file, a data dir in use, an unknown ARN): `chute` prints
 * its message on one line, without a stack trace, and exits 1.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}
