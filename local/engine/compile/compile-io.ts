import type { QueryLanguage } from '../definition/types.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { jsonataStatesOf, scopeOf, type StateContext } from '../frame.ts';
import { compileJsonataTemplate, type JsonataTemplate } from '../jsonata/evaluate-jsonata.ts';
import { compilePath, PathNotFoundError } from '../paths/json-path.ts';
import { compilePayloadTemplate, type PayloadTemplate } from '../paths/payload-template.ts';
import { compileResultPath, type ResultPlacer } from '../paths/result-path.ts';
import type { Catcher } from '../retry.ts';
import { runtimeError } from './runtime-error.ts';

/** The fields of a state that shape its input and output, as written in the ASL. */
export interface IoFields {
  InputPath?: string | null;
  Parameters?: unknown;
  Arguments?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
  OutputPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

/**
 * A state's input and output processing, built once: InputPath → Parameters → (the state's work) →
 * ResultSelector → ResultPath → OutputPath for JSONPath, Arguments → Output for JSONata, Assign in
 * both. Each step is what TestState's inspection data reports.
 */
export interface StateIo {
  /** JSONPath: the raw input after InputPath (`null` gives `{}`); JSONata: the raw input. */
  selectInput(ctx: StateContext): unknown;
  /** What the state works on: InputPath then Parameters, or Arguments. */
  effectiveInput(ctx: StateContext): Promise<unknown>;
  /**
   * Turns the state's result into its output and applies Assign (variables change only after
   * Output is evaluated). `resultIsInput`: states without a result (Choice, Wait, Succeed) skip
   * ResultSelector and ResultPath.
   */
  finish(ctx: StateContext, result: unknown, options?: { resultIsInput?: boolean }): Promise<unknown>;
}

/** A Catch rule compiled: which errors it takes, where it goes, and how it shapes `{Error, Cause}`. */
export interface CompiledCatcher {
  errorEquals: readonly string[];
  next: string;
  finish(ctx: StateContext, error: StatesError): Promise<unknown>;
}

type Select = (ctx: StateContext, value: unknown) => unknown;

/** InputPath / OutputPath: `null` gives `{}`, a path that matches nothing is States.Runtime. */
function compileSelect(path: string | null | undefined): Select {
  if (path === null) return () => ({});
  if (path === undefined || path === '$') return (_ctx, value) => value;
  const compiled = compilePath(path);
  return (ctx, value) => {
    try {
      return compiled.read(scopeOf(ctx, value));
    } catch (error) {
      if (!(error instanceof PathNotFoundError)) throw error;
      throw runtimeError(ctx, `Invalid path '${path}' : No results for path: ${bracketed(path)}`);
    }
  };
}

/** `$.a.b[0]` → `$['a']['b'][0]`, the form AWS's path errors print. */
function bracketed(path: string): string {
  return path.replace(/\.([^.[\]]+)/g, "['$1']");
}

/** A payload template whose path failures name the state, as AWS's causes do. */
function inState(template: PayloadTemplate): (ctx: StateContext, value: unknown) => unknown {
  return (ctx, value) => {
    try {
      return template(scopeOf(ctx, value));
    } catch (error) {
      if (error instanceof StatesError && error.error === StatesErrorNames.Runtime)
        throw runtimeError(ctx, error.causeText ?? '');
      throw error;
    }
  };
}

function jsonataIo(fields: IoFields): StateIo {
  const args = fields.Arguments === undefined ? undefined : compileJsonataTemplate(fields.Arguments);
  const output = fields.Output === undefined ? undefined : compileJsonataTemplate(fields.Output);
  const assign = fields.Assign === undefined ? undefined : compileJsonataTemplate(fields.Assign);
  return {
    selectInput: (ctx) => ctx.rawInput,
    async effectiveInput(ctx) {
      if (!args) return ctx.rawInput;
      const value = await required(args, ctx, 'Arguments', {});
      if (ctx.inspection) ctx.inspection.afterArguments = value;
      return value;
    },
    async finish(ctx, result, options = {}) {
      const extra = options.resultIsInput ? {} : { result };
      const out = output ? await required(output, ctx, 'Output', extra) : result;
      if (assign) Object.assign(ctx.frame.variables, await required(assign, ctx, 'Assign', extra));
      return out;
    },
  };
}

/** Evaluates a top-level JSONata field; an expression that yields nothing there is an error. */
async function required(
  template: JsonataTemplate,
  ctx: StateContext,
  field: string,
  extra: { result?: unknown; errorOutput?: unknown },
): Promise<unknown> {
  const value = await template.evaluate(jsonataStatesOf(ctx, extra), ctx.frame.variables);
  if (value === undefined)
    throw new StatesError(
      StatesErrorNames.QueryEvaluationError,
      `An error occurred while executing the state '${ctx.name}' (entered at the event id #${ctx.enteredEventId}). The JSONata expression of the field '${field}' returned nothing.`,
    );
  return value;
}

function jsonPathIo(fields: IoFields, parametersField: 'Parameters' | 'ItemSelector'): StateIo {
  const selectInput = compileSelect(fields.InputPath);
  const parametersTemplate = (fields as Record<string, unknown>)[parametersField];
  const parameters =
    parametersTemplate === undefined ? undefined : inState(compilePayloadTemplate(parametersTemplate));
  const selector =
    fields.ResultSelector === undefined ? undefined : inState(compilePayloadTemplate(fields.ResultSelector));
  const placeResult: ResultPlacer = compileResultPath(fields.ResultPath);
  const selectOutput = compileSelect(fields.OutputPath);
  const assign = fields.Assign === undefined ? undefined : inState(compilePayloadTemplate(fields.Assign));
  return {
    selectInput: (ctx) => selectInput(ctx, ctx.rawInput),
    async effectiveInput(ctx) {
      const selected = selectInput(ctx, ctx.rawInput);
      if (ctx.inspection) ctx.inspection.afterInputPath = selected;
      if (!parameters) return selected;
      const value = parameters(ctx, selected);
      if (ctx.inspection) ctx.inspection.afterParameters = value;
      return value;
    },
    async finish(ctx, result, options = {}) {
      const selected = selector && !options.resultIsInput ? selector(ctx, result) : result;
      if (ctx.inspection && selector) ctx.inspection.afterResultSelector = selected;
      const newVariables = assign ? assign(ctx, selected) : undefined;
      const merged = options.resultIsInput ? result : placeResult(ctx.rawInput, selected);
      if (ctx.inspection && !options.resultIsInput) ctx.inspection.afterResultPath = merged;
      const output = selectOutput(ctx, merged);
      if (newVariables) Object.assign(ctx.frame.variables, newVariables);
      return output;
    },
  };
}

/** Builds a state's processing for its query language (`ItemSelector` plays Parameters' part in a Map). */
export function compileIo(
  fields: IoFields,
  queryLanguage: QueryLanguage,
  parametersField: 'Parameters' | 'ItemSelector' = 'Parameters',
): StateIo {
  return queryLanguage === 'JSONata' ? jsonataIo(fields) : jsonPathIo(fields, parametersField);
}

/** A Catch rule: `{Error, Cause}` placed at its ResultPath (JSONPath) or shaped by its Output (JSONata). */
export function compileCatcher(catcher: Catcher, queryLanguage: QueryLanguage): CompiledCatcher {
  const io = compileIo(
    { ResultPath: catcher.ResultPath, Output: catcher.Output, Assign: catcher.Assign },
    queryLanguage,
  );
  const jsonata = queryLanguage === 'JSONata';
  const output = jsonata && catcher.Output !== undefined ? compileJsonataTemplate(catcher.Output) : undefined;
  const assign = jsonata && catcher.Assign !== undefined ? compileJsonataTemplate(catcher.Assign) : undefined;
  return {
    errorEquals: catcher.ErrorEquals,
    next: catcher.Next,
    async finish(ctx, error) {
      const errorOutput = { Error: error.error, Cause: error.causeText ?? '' };
      if (!jsonata) return io.finish(ctx, errorOutput);
      const extra = { errorOutput };
      const out = output ? await required(output, ctx, 'Output', extra) : errorOutput;
      if (assign) Object.assign(ctx.frame.variables, await required(assign, ctx, 'Assign', extra));
      return out;
    },
  };
}
