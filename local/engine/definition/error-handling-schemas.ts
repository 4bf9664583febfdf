import { z } from 'zod';
import { anyJson, integer, jsonObject, nullableReferencePath, text } from './field-schemas.ts';
import type { QueryLanguage } from './types.ts';

/**
 * Retry and Catch as the ASL defines them: ErrorEquals non-empty, `States.ALL` alone in its
 * ErrorEquals and in the last retrier or catcher, MaxAttempts ≥ 0, IntervalSeconds ≥ 1,
 * BackoffRate ≥ 1.0, MaxDelaySeconds, JitterStrategy FULL or NONE.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
const errorEquals = z
  .array(text, 'Expected value of type [ARRAY]')
  .min(1, 'Value cannot be empty')
  .superRefine((names, ctx) => {
    if (names.includes('States.ALL') && names.length > 1) {
      ctx.addIssue({ code: 'custom', message: "'States.ALL' must appear alone in 'ErrorEquals'" });
    }
  });

/** `States.ALL` catches everything, so a retrier or catcher after it could never apply. */
function allLast(entries: { ErrorEquals: string[] }[], ctx: z.RefinementCtx): void {
  entries.forEach((entry, i) => {
    if (i < entries.length - 1 && entry.ErrorEquals.includes('States.ALL')) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'ErrorEquals'],
        message: "'States.ALL' must appear in the last element",
      });
    }
  });
}

const MAX_SECONDS = 99_999_999;

export const retrySchema = z
  .array(
    z.strictObject({
      ErrorEquals: errorEquals,
      IntervalSeconds: integer('JSONPath', 1, MAX_SECONDS).optional(),
      MaxAttempts: integer('JSONPath', 0, MAX_SECONDS).optional(),
      BackoffRate: z.number('Expected value of type [NUMBER]').min(1, 'Minimum value is 1.0').optional(),
      MaxDelaySeconds: integer('JSONPath', 1, 31_622_400).optional(),
      JitterStrategy: z
        .enum(['FULL', 'NONE'], 'Value should be one of the following: [FULL, NONE]')
        .optional(),
      Comment: text.optional(),
    }),
    'Expected value of type [ARRAY]',
  )
  .superRefine(allLast);

export function catchSchema(language: QueryLanguage) {
  const languageFields =
    language === 'JSONata'
      ? { Output: anyJson.optional() }
      : { ResultPath: nullableReferencePath.optional() };
  return z
    .array(
      z.strictObject({
        ErrorEquals: errorEquals,
        Next: text,
        Assign: jsonObject.optional(),
        Comment: text.optional(),
        ...languageFields,
      }),
      'Expected value of type [ARRAY]',
    )
    .superRefine(allLast);
}
