import type { z } from 'zod';
import { InvalidBatchError } from './errors.ts';

/**
 * Wraps a stage function as a Lambda handler: parses the event with `schema` so a malformed
 * envelope fails loudly as InvalidBatchError (never retried), then runs the stage.
 */
export function stageHandler<Schema extends z.ZodType, Result>(
  schema: Schema,
  stage: (input: z.infer<Schema>) => Promise<Result> | Result,
): (event: unknown) => Promise<Result> {
  return async (event) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new InvalidBatchError(`Malformed batch: ${problems.slice(0, 5).join('; ')}`);
    }
    return stage(parsed.data);
  };
}
