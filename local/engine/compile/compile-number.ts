import type { QueryLanguage } from '../definition/types.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { jsonataStatesOf, scopeOf, type StateContext } from '../frame.ts';
import { compileJsonataTemplate, isJsonataExpression } from '../jsonata/evaluate-jsonata.ts';
import { compilePath, PathNotFoundError } from '../paths/json-path.ts';
import type { NumberSource } from './compiled-machine.ts';
import { runtimeError } from './runtime-error.ts';

/** What AWS accepts for a number field: a range, and whether it must be whole. */
export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

const none: NumberSource = () => Promise.resolve(undefined);

function problemWith(value: unknown, rule: NumberRule): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'is not a number';
  if (rule.integer && !Number.isInteger(value)) return 'is not an integer';
  if (rule.min !== undefined && value < rule.min) return `is below ${rule.min}`;
  if (rule.max !== undefined && value > rule.max) return `is above ${rule.max}`;
  return undefined;
}

/**
 * A number field in the form it was written: a literal, a JSONata `{% %}` expression (a wrong
 * value is States.QueryEvaluationError), or a `…Path` read from the state's input or a variable
 * (a wrong value is States.Runtime). Checked against AWS's range when the state runs.
 */
export function compileNumber(
  field: string,
  value: unknown,
  path: string | undefined,
  queryLanguage: QueryLanguage,
  rule: NumberRule = {},
): NumberSource {
  if (value !== undefined && queryLanguage === 'JSONata' && isJsonataExpression(value)) {
    const expression = compileJsonataTemplate(value);
    return async (ctx) => {
      const result = await expression.evaluate(jsonataStatesOf(ctx), ctx.frame.variables);
      const problem = problemWith(result, rule);
      if (problem)
        throw new StatesError(
          StatesErrorNames.QueryEvaluationError,
          `An error occurred while executing the state '${ctx.name}' (entered at the event id #${ctx.enteredEventId}). The ${field} field's value ${JSON.stringify(result)} ${problem}.`,
        );
      return result as number;
    };
  }
  if (value !== undefined) {
    const literal = Promise.resolve(value as number);
    return () => literal;
  }
  if (path === undefined) return none;
  const compiled = compilePath(path);
  return async (ctx: StateContext) => {
    let result: unknown;
    try {
      result = compiled.read(scopeOf(ctx, ctx.rawInput));
    } catch (error) {
      if (!(error instanceof PathNotFoundError)) throw error;
      throw runtimeError(ctx, `Invalid path '${path}' : No results for path: ${path}`);
    }
    const problem = problemWith(result, rule);
    if (problem)
      throw runtimeError(ctx, `The value ${JSON.stringify(result)} at ${field}Path '${path}' ${problem}.`);
    return result as number;
  };
}
