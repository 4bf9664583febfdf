import { StatesError, StatesErrorNames } from './errors.ts';
import { evaluateTemplate, isJsonataExpression, evaluateExpression } from './jsonata/evaluate-jsonata.ts';
import { PathNotFoundError, readPath, type PathScope } from './paths/json-path.ts';
import { applyPayloadTemplate } from './paths/payload-template.ts';
import { applyResultPath } from './paths/result-path.ts';
import { contextObjectOf, type StateContext } from './frame.ts';

type Fields = {
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: unknown;
  Arguments?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
};

const fieldsOf = (ctx: StateContext): Fields => ctx.state as Fields;

/** A path scope whose `$$` context object is built only if a path asks for it (most do not). */
export function scopeOf(ctx: StateContext, input: unknown): PathScope {
  let context: unknown;
  return {
    input,
    get context() {
      return (context ??= contextObjectOf(ctx));
    },
    variables: ctx.frame.variables,
  };
}

/** Reads InputPath/OutputPath: null gives `{}`, a path that matches nothing is States.Runtime. */
function selectPath(
  path: string | null | undefined,
  value: unknown,
  ctx: StateContext,
  field: string,
): unknown {
  if (path === null) return {};
  if (path === undefined || path === '$') return value;
  try {
    return readPath(path, scopeOf(ctx, value));
  } catch (error) {
    if (!(error instanceof PathNotFoundError)) throw error;
    throw new StatesError(
      StatesErrorNames.Runtime,
      `Invalid path '${path}' : The ${field} could not be found in the input: ${JSON.stringify(value)}`,
    );
  }
}

/** Evaluates a JSONata field (a `{% %}` string or a template holding some). */
export function evaluateJsonata(
  ctx: StateContext,
  template: unknown,
  extra: { result?: unknown; errorOutput?: unknown } = {},
) {
  const states = { input: ctx.rawInput, context: contextObjectOf(ctx), ...extra };
  return evaluateTemplate(template, states, ctx.frame.variables);
}

/** A number field that may be a JSONata expression (TimeoutSeconds, Seconds, MaxConcurrency…). */
export async function numberField(
  ctx: StateContext,
  value: unknown,
  field: string,
): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const resolved = isJsonataExpression(value)
    ? await evaluateExpression(
        value,
        { input: ctx.rawInput, context: contextObjectOf(ctx) },
        ctx.frame.variables,
      )
    : value;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved)) {
    throw new StatesError(
      StatesErrorNames.QueryEvaluationError,
      `The field ${field} must be a number, got ${JSON.stringify(resolved)}`,
    );
  }
  return resolved;
}

/** A number read from a `…Path` field (JSONPath). */
export function numberFromPath(
  ctx: StateContext,
  path: string | undefined,
  input: unknown,
  field: string,
): number | undefined {
  if (path === undefined) return undefined;
  const value = selectPath(path, input, ctx, field);
  if (typeof value !== 'number') {
    throw new StatesError(
      StatesErrorNames.Runtime,
      `The value at ${field} '${path}' must be a number, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * The state's effective input: JSONPath applies InputPath then Parameters; JSONata evaluates
 * Arguments against `$states.input`.
 */
export async function effectiveInput(
  ctx: StateContext,
  parametersField: 'Parameters' | 'ItemSelector' = 'Parameters',
): Promise<unknown> {
  const fields = fieldsOf(ctx);
  if (ctx.queryLanguage === 'JSONata') {
    return fields.Arguments === undefined ? ctx.rawInput : evaluateJsonata(ctx, fields.Arguments);
  }
  const selected = selectPath(fields.InputPath, ctx.rawInput, ctx, 'InputPath');
  const template = (ctx.state as unknown as Record<string, unknown>)[parametersField];
  return template === undefined ? selected : applyPayloadTemplate(template, scopeOf(ctx, selected));
}

/** Evaluates Assign and returns the new variables (applied by the caller after Output). */
async function assignments(
  ctx: StateContext,
  assign: Record<string, unknown> | undefined,
  jsonPathValue: unknown,
  extra: { result?: unknown; errorOutput?: unknown },
): Promise<Record<string, unknown>> {
  if (!assign) return {};
  if (ctx.queryLanguage === 'JSONata')
    return (await evaluateJsonata(ctx, assign, extra)) as Record<string, unknown>;
  return applyPayloadTemplate(assign, scopeOf(ctx, jsonPathValue)) as Record<string, unknown>;
}

/**
 * Turns a state's result into its output: JSONPath applies ResultSelector, ResultPath (onto the
 * raw input) and OutputPath; JSONata evaluates Output with `$states.result` (default: the result).
 * Assign is evaluated with the same values, and variables change only after Output.
 */
export async function finishWithResult(
  ctx: StateContext,
  result: unknown,
  options: { resultIsInput?: boolean } = {},
): Promise<unknown> {
  const fields = fieldsOf(ctx);
  if (ctx.queryLanguage === 'JSONata') {
    const extra = options.resultIsInput ? {} : { result };
    const output = fields.Output === undefined ? result : await evaluateJsonata(ctx, fields.Output, extra);
    Object.assign(ctx.frame.variables, await assignments(ctx, fields.Assign, undefined, extra));
    return output;
  }
  const selected =
    fields.ResultSelector === undefined || options.resultIsInput
      ? result
      : applyPayloadTemplate(fields.ResultSelector, scopeOf(ctx, result));
  const newVariables = await assignments(ctx, fields.Assign, selected, {});
  const merged = options.resultIsInput ? result : applyResultPath(ctx.rawInput, fields.ResultPath, selected);
  const output = selectPath(fields.OutputPath, merged, ctx, 'OutputPath');
  Object.assign(ctx.frame.variables, newVariables);
  return output;
}

/** The output of a state whose Catch handled `error`: `{Error, Cause}` at ResultPath, or JSONata Output. */
export async function finishWithError(
  ctx: StateContext,
  catcher: { ResultPath?: string | null; Output?: unknown; Assign?: Record<string, unknown> },
  error: StatesError,
): Promise<unknown> {
  const errorOutput = { Error: error.error, Cause: error.causeText ?? '' };
  if (ctx.queryLanguage === 'JSONata') {
    const output =
      catcher.Output === undefined
        ? errorOutput
        : await evaluateJsonata(ctx, catcher.Output, { errorOutput });
    Object.assign(ctx.frame.variables, await assignments(ctx, catcher.Assign, undefined, { errorOutput }));
    return output;
  }
  const newVariables = await assignments(ctx, catcher.Assign, errorOutput, {});
  const output = applyResultPath(ctx.rawInput, catcher.ResultPath, errorOutput);
  Object.assign(ctx.frame.variables, newVariables);
  return output;
}
