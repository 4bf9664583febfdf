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

type Variables = Readonly<Record<string, unknown>>;

/** A JSONata field compiled once: a `{% … %}` string, or a JSON template holding some. */
export interface JsonataTemplate {
  /** False when the template holds no expression: its value is the template itself. */
  readonly dynamic: boolean;
  evaluate(states: JsonataStates, variables: Variables): Promise<unknown>;
}

// Exactly `{%` … `%}`: AWS does not trim, so " {% 1 %}" is a plain string.
const expressionPattern = /^\{%([\s\S]*)%\}$/;

/** True for a `{% … %}` string, the JSONata form of a field's value. */
export const isJsonataExpression = (value: unknown): value is string =>
  typeof value === 'string' && expressionPattern.test(value);

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
function plainPathReader(
  source: string,
): ((states: JsonataStates, variables: Variables) => unknown) | undefined {
  const match = plainPath.exec(source);
  if (!match || reserved.test(source)) return undefined;
  const name = match[1]!;
  const fields = match[2] ? match[2].slice(1).split('.') : [];
  return (states, variables) => {
    if (name !== 'states' && !Object.hasOwn(variables, name)) return notPlain;
    let value: unknown = name === 'states' ? states : variables[name];
    for (const field of fields) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return notPlain;
      value = (value as Record<string, unknown>)[field];
    }
    return fields.length && Array.isArray(value) ? notPlain : value;
  };
}

function compileExpression(text: string): JsonataTemplate {
  const source = expressionPattern.exec(text)![1]!;
  let expression: ReturnType<typeof jsonata> | undefined;
  let syntaxError: string | undefined;
  try {
    expression = jsonata(source);
  } catch (error) {
    syntaxError = (error as Error).message;
  }
  const direct = plainPathReader(source);
  const failed = (message: string) =>
    new StatesError(
      StatesErrorNames.QueryEvaluationError,
      `JSONata expression '${source.trim()}' failed: ${message}`,
    );
  return {
    dynamic: true,
    async evaluate(states, variables) {
      if (direct) {
        const value = direct(states, variables);
        if (value !== notPlain) return value;
      }
      if (!expression) throw failed(syntaxError ?? 'invalid expression');
      try {
        return plain(await expression.evaluate(undefined, { ...awsJsonataFunctions, ...variables, states }));
      } catch (error) {
        if (error instanceof StatesError) throw error;
        throw failed((error as { message?: string }).message ?? String(error));
      }
    },
  };
}

/** Compiles every `{% … %}` string inside a JSON template (Arguments, Output, Assign, …). */
export function compileJsonataTemplate(template: unknown): JsonataTemplate {
  if (isJsonataExpression(template)) return compileExpression(template);
  if (Array.isArray(template)) {
    const items = template.map(compileJsonataTemplate);
    if (!items.some((item) => item.dynamic)) return constant(template);
    return {
      dynamic: true,
      evaluate: (states, variables) => Promise.all(items.map((item) => item.evaluate(states, variables))),
    };
  }
  if (template !== null && typeof template === 'object') {
    const fields = Object.entries(template).map(([key, value]) => ({
      key,
      value: compileJsonataTemplate(value),
    }));
    if (!fields.some((field) => field.value.dynamic)) return constant(template);
    return {
      dynamic: true,
      async evaluate(states, variables) {
        const out: Record<string, unknown> = {};
        for (const field of fields) {
          const evaluated = await field.value.evaluate(states, variables);
          if (evaluated !== undefined) out[field.key] = evaluated;
        }
        return out;
      },
    };
  }
  return constant(template);
}

function constant(value: unknown): JsonataTemplate {
  return { dynamic: false, evaluate: () => Promise.resolve(value) };
}
