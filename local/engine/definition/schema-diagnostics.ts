import type { z } from 'zod';
import { schemaError, type Diagnostic } from './diagnostic.ts';
import { fieldsOnlyIn } from './state-schemas.ts';
import type { QueryLanguage } from './types.ts';

/** `/States/A` + `['Retry', 0, 'MaxAttempts']` → `/States/A/Retry[0]/MaxAttempts`, as AWS writes it. */
function locationOf(base: string, path: readonly PropertyKey[]): string {
  const location = path.reduce<string>(
    (at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}/${String(key)}`),
    base,
  );
  return location || '/';
}

const other = (language: QueryLanguage): QueryLanguage => (language === 'JSONata' ? 'JSONPath' : 'JSONata');

/**
 * Zod's issues in AWS's words. A missing field is gathered per object ("These fields are
 * required: [A, B]", located at the object, as AWS answers for a definition without StartAt); a
 * field the schema does not know is "Field 'X' is not supported" at the object, or the query
 * language message when the field belongs to the other language. Everything else carries the
 * message its schema gave it.
 */
export function diagnosticsOf(
  issues: readonly z.core.$ZodIssue[],
  base: string,
  language: QueryLanguage,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const required = new Map<string, string[]>();
  for (const issue of issues) {
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined) {
      const at = locationOf(base, issue.path.slice(0, -1));
      required.set(at, [...(required.get(at) ?? []), String(issue.path.at(-1))]);
    } else if (issue.code === 'unrecognized_keys') {
      const at = locationOf(base, issue.path);
      for (const key of issue.keys) {
        diagnostics.push(
          schemaError(
            fieldsOnlyIn[other(language)].has(key)
              ? `The QueryLanguage is set to '${language}', but field '${key}' is only supported for the '${other(language)}' QueryLanguage`
              : `Field '${key}' is not supported`,
            at,
          ),
        );
      }
    } else {
      diagnostics.push(schemaError(issue.message, locationOf(base, issue.path)));
    }
  }
  for (const [at, fields] of required)
    diagnostics.push(schemaError(`These fields are required: [${fields.join(', ')}]`, at));
  return diagnostics;
}
