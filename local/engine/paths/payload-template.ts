import { StatesError, StatesErrorNames } from '../errors.ts';
import { compileIntrinsic, isIntrinsic } from '../intrinsics/evaluate-intrinsic.ts';
import { compilePath, PathNotFoundError, type PathScope } from './json-path.ts';

/** A payload template built once: applying it only reads paths and calls intrinsics. */
export type PayloadTemplate = (scope: PathScope) => unknown;

type Field = { key: string; value: PayloadTemplate };

function compileDynamic(key: string, value: unknown, failWith: string): PayloadTemplate {
  if (typeof value !== 'string') {
    return () => {
      throw new StatesError(
        StatesErrorNames.Runtime,
        `The value of '${key}' must be a path or an intrinsic function`,
      );
    };
  }
  if (isIntrinsic(value)) return compileIntrinsic(value);
  const path = compilePath(value);
  return (scope) => {
    try {
      return path.read(scope);
    } catch (error) {
      if (!(error instanceof PathNotFoundError)) throw error;
      throw new StatesError(
        failWith,
        `The JSONPath '${value}' specified for the field '${key}' could not be found in the input '${JSON.stringify(scope.input)}'`,
      );
    }
  };
}

/**
 * Compiles a JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign): keys
 * ending `.$` take the value of a path or an intrinsic function; everything else is copied.
 * A path that matches nothing is `failWith`: States.Runtime, as AWS reports it for Parameters,
 * ResultSelector and ItemSelector (its cause gains the state's name where the state is known).
 */
export function compilePayloadTemplate(
  template: unknown,
  failWith: string = StatesErrorNames.Runtime,
): PayloadTemplate {
  if (Array.isArray(template)) {
    const items = template.map((item) => compilePayloadTemplate(item, failWith));
    return (scope) => items.map((item) => item(scope));
  }
  if (template === null || typeof template !== 'object') return () => template;
  const fields: Field[] = Object.entries(template).map(([key, value]) =>
    key.endsWith('.$')
      ? { key: key.slice(0, -2), value: compileDynamic(key, value, failWith) }
      : { key, value: compilePayloadTemplate(value, failWith) },
  );
  return (scope) => {
    const out: Record<string, unknown> = {};
    for (const field of fields) out[field.key] = field.value(scope);
    return out;
  };
}
