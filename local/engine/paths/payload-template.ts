import { StatesError, StatesErrorNames } from '../errors.ts';
import { evaluateIntrinsic, isIntrinsic } from '../intrinsics/evaluate-intrinsic.ts';
import { PathNotFoundError, readPath, type PathScope } from './json-path.ts';

/**
 * Applies a JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign): keys
 * ending `.$` take the value of a path or an intrinsic function; everything else is copied.
 * A path that matches nothing is `failWith` (States.ParameterPathFailure for Parameters).
 */
export function applyPayloadTemplate(
  template: unknown,
  scope: PathScope,
  failWith: string = StatesErrorNames.ParameterPathFailure,
): unknown {
  if (Array.isArray(template)) return template.map((item) => applyPayloadTemplate(item, scope, failWith));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith('.$')) {
      out[key] = applyPayloadTemplate(value, scope, failWith);
      continue;
    }
    const field = key.slice(0, -2);
    if (typeof value !== 'string') {
      throw new StatesError(
        StatesErrorNames.Runtime,
        `The value of '${key}' must be a path or an intrinsic function`,
      );
    }
    if (isIntrinsic(value)) {
      out[field] = evaluateIntrinsic(value, scope);
      continue;
    }
    try {
      out[field] = readPath(value, scope);
    } catch (error) {
      if (!(error instanceof PathNotFoundError)) throw error;
      throw new StatesError(
        failWith,
        `The JSONPath '${value}' specified for the field '${key}' could not be found in the input`,
      );
    }
  }
  return out;
}
