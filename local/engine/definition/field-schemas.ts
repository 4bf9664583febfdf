import { z } from 'zod';
import { isIntrinsic, parseIntrinsic } from '../intrinsics/evaluate-intrinsic.ts';
import type { QueryLanguage } from './types.ts';

/**
 * The building blocks of the state schemas, with AWS's wording in their messages (those AWS
 * answers are quoted from its diagnostics: "Minimum value is 0", "Value is not a Reference Path",
 * "String does not match RFC3339 timestamp"; see https://github.com/floci-io/floci/issues/3733
 * where they were measured).
 */

/** `{% … %}` exactly: no space around it, else the string is a plain string. */
export const isJsonataForm = (value: unknown): value is string =>
  typeof value === 'string' && /^\{%[\s\S]*%\}$/.test(value);

export const jsonataExpression = z.string().refine(isJsonataForm, 'Value is not a JSONata expression');

/** An integer field; `{% … %}` too when the state speaks JSONata. */
export function integer(language: QueryLanguage, min: number, max?: number) {
  let schema = z.int('Expected value of type [INTEGER]').min(min, `Minimum value is ${min}`);
  if (max !== undefined) schema = schema.max(max, `Maximum value is ${max}`);
  return language === 'JSONata'
    ? z.union([schema, jsonataExpression], 'Expected value of type [INTEGER] or a JSONata expression')
    : schema;
}

/** A decimal field (AWS words its bounds with a decimal point: "Minimum value is 0.0"). */
export function decimal(language: QueryLanguage, min: number, max?: number) {
  let schema = z.number('Expected value of type [NUMBER]').min(min, `Minimum value is ${min.toFixed(1)}`);
  if (max !== undefined) schema = schema.max(max, `Maximum value is ${max.toFixed(1)}`);
  return language === 'JSONata'
    ? z.union([schema, jsonataExpression], 'Expected value of type [NUMBER] or a JSONata expression')
    : schema;
}

/** A string; in JSONata also the expression form (which is itself a string). */
export const text = z.string('Expected value of type [STRING]');

const referencePathPattern =
  /^\$([A-Za-z_][A-Za-z0-9_]*)?((\.[A-Za-z_][A-Za-z0-9_-]*)|(\['[^']*'\])|(\[\d+\]))*$/;

/** A Reference Path: one node of the input or of a variable, no wildcard, filter or context object. */
const isReferencePath = (value: string): boolean => referencePathPattern.test(value);

/** A JSONPath: `$`, `$$` or `$variable`, then brackets that close. */
export function isJsonPath(value: string): boolean {
  if (!value.startsWith('$')) return false;
  let depth = 0;
  let quote: string | undefined;
  for (const c of value) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      if (--depth < 0) return false;
    }
  }
  return depth === 0 && quote === undefined;
}

export const referencePath = text.refine(isReferencePath, 'Value is not a Reference Path');
export const jsonPath = text.refine(isJsonPath, 'Value is not a valid JSONPath');
/** InputPath and OutputPath: a path, or null for `{}`. */
export const nullablePath = jsonPath.nullable();
export const nullableReferencePath = referencePath.nullable();

export function isValidIntrinsic(value: string): boolean {
  try {
    parseIntrinsic(value);
    return true;
  } catch {
    return false;
  }
}

/** ErrorPath / CausePath: a Reference Path or an intrinsic function that yields a string. */
export const pathOrIntrinsic = text.refine(
  (value) => (isIntrinsic(value) ? isValidIntrinsic(value) : isJsonPath(value)),
  'Value is not a valid Reference Path or intrinsic function',
);

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
export const timestamp = text.regex(rfc3339, 'String does not match RFC3339 timestamp');

export const anyJson = z.unknown();
export const jsonObject = z.record(z.string(), z.unknown(), 'Expected value of type [OBJECT]');
export const choiceOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, `Value should be one of the following: [${values.join(', ')}]`);
