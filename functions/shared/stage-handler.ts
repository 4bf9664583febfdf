import { Logger } from '@aws-lambda-powertools/logger';
import type { z } from 'zod';
import { InvalidBatchError } from './errors.ts';
import { invocationKeys, rowCounts } from './invocation-log.ts';

/**
 * Wraps a stage function as a Lambda handler: parses the event with `schema` so a malformed
 * envelope fails loudly as InvalidBatchError (never retried), then runs the stage. Logs one JSON
 * line per invocation with Powertools (stage, rows in/out, rejected, ms) or, when the stage
 * throws, one error line with the error; both carry the execution, file and first item index.
 */
export function stageHandler<Schema extends z.ZodType, Result>(
  name: string,
  schema: Schema,
  stage: (input: z.infer<Schema>) => Promise<Result> | Result,
): (event: unknown) => Promise<Result> {
  // Once per function; the service is POWERTOOLS_SERVICE_NAME as the infra sets it.
  const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? `chute-${name}` });
  return async (event) => {
    // The invocation's keys go with each line, not on a child logger: createChild builds a new
    // Logger and Console per invocation (0.8 ms, a sixth of a local environment's time per batch
    // in bench:e2e's profile), and appendKeys on the shared logger would leak between the
    // invocations a local environment runs at once (local/services/lambda-environments.ts).
    const keys = invocationKeys(event);
    const started = performance.now();
    try {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
        throw new InvalidBatchError(`Malformed batch: ${problems.slice(0, 5).join('; ')}`);
      }
      const result = await stage(parsed.data);
      logger.info(`${name} done`, {
        ...keys,
        stage: name,
        ...rowCounts(event, result),
        ms: elapsed(started),
      });
      return result;
    } catch (error) {
      logger.error(`${name} failed`, { ...keys, stage: name, ms: elapsed(started), error: asError(error) });
      throw error;
    }
  };
}

const elapsed = (started: number): number => Math.round(performance.now() - started);

const asError = (thrown: unknown): Error => (thrown instanceof Error ? thrown : new Error(String(thrown)));
