import { TransientError } from '../shared/errors.ts';

/**
 * An SDK error the SDK itself calls retryable (throttling, 5xx, a connection that failed) becomes
 * a TransientError, the name the ASL retries; any other error is returned as it is.
 */
export function transientIfRetryable(error: unknown): unknown {
  const e = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = e?.$metadata?.httpStatusCode;
  const network = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(e?.code ?? '');
  if (e?.$retryable || (status !== undefined && status >= 500) || network)
    return new TransientError((error as Error).message, { cause: error });
  return error;
}
