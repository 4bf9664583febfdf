import { runtimeError } from '../compile/runtime-error.ts';
import { scopeOf, type StateContext } from '../frame.ts';
import { compilePath, PathNotFoundError, type PathScope } from '../paths/json-path.ts';
import { comparisonOperators, typeTestOperators } from './operators.ts';

/** A JSONPath Choice rule: a comparison on `Variable`, or And / Or / Not of rules. */
export type ChoiceRule = Record<string, unknown> & {
  Variable?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
};

/** A Choice rule compiled once: its paths parsed, its operator looked up. */
export type CompiledRule = (ctx: StateContext, scope: PathScope) => boolean;

const notRule = new Set(['Variable', 'Next', 'Assign', 'Output', 'Comment']);

function reader(path: string, what: string) {
  const compiled = compilePath(path);
  return (ctx: StateContext, scope: PathScope): unknown => {
    try {
      return compiled.read(scope);
    } catch (error) {
      if (error instanceof PathNotFoundError)
        throw runtimeError(
          ctx,
          `Invalid path '${path}': The choice state's ${what} references an invalid value.`,
        );
      throw error;
    }
  };
}

function failing(ctx: StateContext, message: string): never {
  throw runtimeError(ctx, message);
}

/** Compiles a JSONPath Choice rule, evaluated later against the state's input after InputPath. */
export function compileChoiceRule(rule: ChoiceRule): CompiledRule {
  if (rule.And) {
    const rules = rule.And.map(compileChoiceRule);
    return (ctx, scope) => rules.every((r) => r(ctx, scope));
  }
  if (rule.Or) {
    const rules = rule.Or.map(compileChoiceRule);
    return (ctx, scope) => rules.some((r) => r(ctx, scope));
  }
  if (rule.Not) {
    const inner = compileChoiceRule(rule.Not);
    return (ctx, scope) => !inner(ctx, scope);
  }
  if (typeof rule.Variable !== 'string') return (ctx) => failing(ctx, 'A Choice rule has no Variable');
  if ('IsPresent' in rule) {
    const path = compilePath(rule.Variable);
    const expected = rule.IsPresent;
    return (_ctx, scope) => {
      let present = true;
      try {
        path.read(scope);
      } catch (error) {
        if (!(error instanceof PathNotFoundError)) throw error;
        present = false;
      }
      return present === expected;
    };
  }
  const variable = reader(rule.Variable, 'condition path');
  for (const [key, operand] of Object.entries(rule)) {
    if (notRule.has(key)) continue;
    const typeTest = typeTestOperators[key];
    if (typeTest) return (ctx, scope) => typeTest(variable(ctx, scope)) === operand;
    const isPath = key.endsWith('Path');
    const comparison = comparisonOperators[isPath ? key.slice(0, -4) : key];
    if (!comparison) continue;
    if (!isPath) return (ctx, scope) => comparison(variable(ctx, scope), operand);
    const other = reader(operand as string, 'comparison path');
    return (ctx, scope) => comparison(variable(ctx, scope), other(ctx, scope));
  }
  return (ctx) => failing(ctx, `A Choice rule has no comparison operator: ${JSON.stringify(rule)}`);
}

/** Evaluates a compiled rule against the state's input (after InputPath). */
export const matchRule = (rule: CompiledRule, ctx: StateContext, input: unknown): boolean =>
  rule(ctx, scopeOf(ctx, input));
