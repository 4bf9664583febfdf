import { StatesError, StatesErrorNames } from '../errors.ts';
import { PathNotFoundError, readPath, type PathScope } from '../paths/json-path.ts';
import { comparisonOperators, typeTestOperators } from './operators.ts';

/** A JSONPath Choice rule: a comparison on `Variable`, or And / Or / Not of rules. */
export type ChoiceRule = Record<string, unknown> & {
  Variable?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
};

const runtime = (message: string) => new StatesError(StatesErrorNames.Runtime, message);

function read(path: string, scope: PathScope, what: string): unknown {
  try {
    return readPath(path, scope);
  } catch (error) {
    if (error instanceof PathNotFoundError)
      throw runtime(`Invalid path '${path}': The choice state's ${what} references an invalid value.`);
    throw error;
  }
}

/** Evaluates a JSONPath Choice rule against the state's (effective) input. */
export function evaluateChoiceRule(rule: ChoiceRule, scope: PathScope): boolean {
  if (rule.And) return rule.And.every((r) => evaluateChoiceRule(r, scope));
  if (rule.Or) return rule.Or.some((r) => evaluateChoiceRule(r, scope));
  if (rule.Not) return !evaluateChoiceRule(rule.Not, scope);
  if (typeof rule.Variable !== 'string') throw runtime('A Choice rule has no Variable');
  if ('IsPresent' in rule) {
    let present = true;
    try {
      readPath(rule.Variable, scope);
    } catch (error) {
      if (!(error instanceof PathNotFoundError)) throw error;
      present = false;
    }
    return present === rule.IsPresent;
  }
  const value = read(rule.Variable, scope, 'condition path');
  for (const [key, operand] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Assign' || key === 'Comment') continue;
    const typeTest = typeTestOperators[key];
    if (typeTest) return typeTest(value) === operand;
    const isPath = key.endsWith('Path');
    const comparison = comparisonOperators[isPath ? key.slice(0, -4) : key];
    if (comparison)
      return comparison(value, isPath ? read(operand as string, scope, 'comparison path') : operand);
  }
  throw runtime(`A Choice rule has no comparison operator: ${JSON.stringify(rule)}`);
}
