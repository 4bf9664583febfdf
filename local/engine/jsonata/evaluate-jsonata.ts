import jsonata from 'jsonata';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { awsJsonataFunctions } from './aws-functions.ts';

/** `$states` of a JSONata state: its input, the task result, the error output and the context. */
export interface JsonataStates {
  input: unknown;
  context: unknown;
  result?: unknown;
  errorOutput?: unknown;
}

const compiled = new Map<string, ReturnType<typeof jsonata>>();
const expressionPattern = /^\{%([\s\S]*)%\}$/;

/** True for a `{% … %}` string, the JSONata form of a field's value. */
export const isJsonataExpression = (value: unknown): value is string =>
  typeof value === 'string' && expressionPattern.test(value.trim());

function compile(source: string): ReturnType<typeof jsonata> {
  let expression = compiled.get(source);
  if (!expression) {
    try {
      expression = jsonata(source);
    } catch (error) {
      throw new StatesError(
        StatesErrorNames.QueryEvaluationError,
        `Invalid JSONata expression '${source}': ${(error as Error).message}`,
      );
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(source, expression);
  }
  return expression;
}

/**
 * JSONata hands back sequences (arrays flagged `sequence`) and may share input objects; results
 * are never mutated here, so only sequences need copying into plain arrays — not every value
 * through a JSON round trip (a 100-row batch passes through five stages).
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) {
    return (value as { sequence?: boolean }).sequence ? Array.from(value, plain) : value;
  }
  return value;
}

const plainPath = /^\s*\$([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)\s*$/;
const notPlain = Symbol('not a plain path');
// Words JSONata reads as operators or literals, never as field names.
const reserved = /\.(and|or|in|true|false|null|function)(?=\.|\s*$)/;

/**
 * `$states.context.Map.Item.Index`, `$file.bucket`: a variable and field names, read directly.
 * An ItemSelector runs once per row, and JSONata's evaluator costs ~10 µs a time. Anything JSONata
 * would treat its own way (arrays on the path or at its end, an unknown name that may be one of its
 * functions) is left to JSONata.
 */
function readPlainPath(
  source: string,
  states: JsonataStates,
  variables: Readonly<Record<string, unknown>>,
): unknown {
  const match = plainPath.exec(source);
  if (!match || reserved.test(source)) return notPlain;
  const [, name, path] = match;
  if (name !== 'states' && !Object.hasOwn(variables, name!)) return notPlain;
  let value: unknown = name === 'states' ? states : variables[name!];
  for (const field of path ? path.slice(1).split('.') : []) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return notPlain;
    value = (value as Record<string, unknown>)[field];
  }
  return path && Array.isArray(value) ? notPlain : value;
}

/** Evaluates one `{% … %}` string with `$states` and the variables in scope. */
export async function evaluateExpression(
  text: string,
  states: JsonataStates,
  variables: Readonly<Record<string, unknown>>,
): Promise<unknown> {
  const source = expressionPattern.exec(text.trim())![1]!;
  const direct = readPlainPath(source, states, variables);
  if (direct !== notPlain) return direct;
  try {
    const value = await compile(source).evaluate(undefined, { ...awsJsonataFunctions, ...variables, states });
    return plain(value);
  } catch (error) {
    if (error instanceof StatesError) throw error;
    const message = (error as { message?: string }).message ?? String(error);
    throw new StatesError(
      StatesErrorNames.QueryEvaluationError,
      `JSONata expression '${source.trim()}' failed: ${message}`,
    );
  }
}

/** Evaluates every `{% … %}` string inside a JSON template (Arguments, Output, Assign, …). */
export async function evaluateTemplate(
  template: unknown,
  states: JsonataStates,
  variables: Readonly<Record<string, unknown>>,
): Promise<unknown> {
  if (isJsonataExpression(template)) return evaluateExpression(template, states, variables);
  if (Array.isArray(template))
    return Promise.all(template.map((item) => evaluateTemplate(item, states, variables)));
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const evaluated = await evaluateTemplate(value, states, variables);
      if (evaluated !== undefined) out[key] = evaluated;
    }
    return out;
  }
  return template;
}
