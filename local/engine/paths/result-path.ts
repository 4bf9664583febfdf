import { JSONPath } from 'jsonpath-plus';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { isDefinitePath } from './json-path.ts';

/** Places a state's result into its raw input. */
export type ResultPlacer = (input: unknown, result: unknown) => unknown;

/**
 * Compiles a ResultPath: `$` (or none) replaces the input, `null` discards the result, `$.a.b`
 * sets (creating objects on the way) in a copy of the input. A path through a value that is not an
 * object is `States.ResultPathMatchFailure`, as on AWS.
 */
export function compileResultPath(resultPath: string | null | undefined): ResultPlacer {
  if (resultPath === null) return (input) => input;
  if (resultPath === undefined || resultPath === '$') return (_input, result) => result;
  if ((!resultPath.startsWith('$.') && !resultPath.startsWith('$[')) || !isDefinitePath(resultPath)) {
    return () => {
      throw new StatesError(StatesErrorNames.ResultPathMatchFailure, `Invalid ResultPath '${resultPath}'`);
    };
  }
  const steps = JSONPath.toPathArray(resultPath).slice(1);
  const last = steps.length - 1;
  return (input, result) => {
    const fail = () =>
      new StatesError(
        StatesErrorNames.ResultPathMatchFailure,
        `Unable to apply step "${steps.join('.')}" to input ${JSON.stringify(input)}`,
      );
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw fail();
    const root: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    let node = root;
    for (let i = 0; i < last; i++) {
      const step = steps[i]!;
      const next = node[step];
      if (next === undefined) node = node[step] = {};
      else if (next !== null && typeof next === 'object' && !Array.isArray(next)) {
        node = node[step] = { ...(next as Record<string, unknown>) };
      } else throw fail();
    }
    node[steps[last]!] = result;
    return root;
  };
}
