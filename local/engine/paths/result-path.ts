import { JSONPath } from 'jsonpath-plus';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { isDefinitePath } from './json-path.ts';

/**
 * Places `result` into `input` at a ResultPath: `$` replaces the input, `null` discards the
 * result, `$.a.b` sets (creating objects on the way) in a copy of the input. A path through a
 * value that is not an object is `States.ResultPathMatchFailure`, as on AWS.
 */
export function applyResultPath(
  input: unknown,
  resultPath: string | null | undefined,
  result: unknown,
): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  if ((!resultPath.startsWith('$.') && !resultPath.startsWith('$[')) || !isDefinitePath(resultPath)) {
    throw new StatesError(StatesErrorNames.ResultPathMatchFailure, `Invalid ResultPath '${resultPath}'`);
  }
  const steps = JSONPath.toPathArray(resultPath).slice(1);
  const fail = () =>
    new StatesError(
      StatesErrorNames.ResultPathMatchFailure,
      `Unable to apply step "${steps.join('.')}" to input ${JSON.stringify(input)}`,
    );
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw fail();
  const root: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  let node: Record<string, unknown> = root;
  steps.forEach((step, i) => {
    if (i === steps.length - 1) {
      node[step] = result;
      return;
    }
    const next = node[step];
    if (next === undefined) node = node[step] = {} as Record<string, unknown>;
    else if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
      node = node[step] = { ...(next as Record<string, unknown>) };
    } else throw fail();
  });
  return root;
}
