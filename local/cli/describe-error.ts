import { CliError } from './cli-error.ts';

// The local cloud's own refusals whose message already says what to do.
const refusals = new Set(['DataDirInUseError', 'PostgresInUseError', 'OrphanedPostgresError']);

/**
 * The one line `chute` prints for an error a user can act on, or undefined for a bug (which
 * keeps its stack trace). AWS SDK errors carry the service's code and message, which say what is
 * wrong (`InvalidArn: Invalid Arn: 'x'`); the trace of the SDK's middleware does not.
 */
export function describeError(error: unknown): string | undefined {
  if (error instanceof CliError || (error instanceof Error && refusals.has(error.name))) return error.message;
  if (!(error instanceof Error)) return undefined;
  const { code, address, port } = error as { code?: string; address?: string; port?: number };
  if (code === 'ECONNREFUSED')
    return `nothing answers at ${address}:${port}. Start the local cloud with \`chute up\`.`;
  if (code === 'EADDRINUSE')
    return `port ${port} is already in use (another \`chute up\`?): stop it, or pass --port with another port`;
  if ('$metadata' in error) return `${error.name}: ${error.message}`;
  return undefined;
}
