import { compileChoiceRule, matchRule, type ChoiceRule } from '../choice/evaluate-choice.ts';
import type {
  ChoiceState,
  Machine,
  MapState,
  QueryLanguage,
  State,
  StateMachineDefinition,
  WaitState,
} from '../definition/types.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { contextObjectOf, jsonataStatesOf, scopeOf, type StateContext } from '../frame.ts';
import { compileIntrinsic, isIntrinsic } from '../intrinsics/evaluate-intrinsic.ts';
import { compileJsonataTemplate, isJsonataExpression } from '../jsonata/evaluate-jsonata.ts';
import { compilePath, PathNotFoundError } from '../paths/json-path.ts';
import { compilePayloadTemplate } from '../paths/payload-template.ts';
import type { Catcher, Retrier } from '../retry.ts';
import { compileCatcher, compileIo, type IoFields } from './compile-io.ts';
import { compileNumber } from './compile-number.ts';
import type {
  CompiledChoice,
  CompiledFail,
  CompiledMachine,
  CompiledMap,
  CompiledState,
  CompiledWait,
} from './compiled-machine.ts';
import { runtimeError } from './runtime-error.ts';

// AWS's ranges: https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html (Seconds),
// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html (tolerated failures).
const WAIT_SECONDS = { min: 0, max: 99_999_999, integer: true };
const PERCENTAGE = { min: 0, max: 100 };
const COUNT = { min: 0, integer: true };
const POSITIVE = { min: 0, integer: true };
// RFC 3339 with an uppercase T and Z or a numeric offset (the Wait state page).
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Fields = State & IoFields & { Retry?: Retrier[]; Catch?: Catcher[]; Next?: string };

function compileWait(state: WaitState, ql: QueryLanguage): CompiledWait['until'] {
  const now = (ctx: StateContext) => ctx.frame.options.clock.now().getTime();
  if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
    const seconds = compileNumber('Seconds', state.Seconds, state.SecondsPath, ql, WAIT_SECONDS);
    return async (ctx) => now(ctx) + (await seconds(ctx))! * 1000;
  }
  const read: (ctx: StateContext) => Promise<unknown> =
    state.TimestampPath !== undefined
      ? readerOf(state.TimestampPath, 'TimestampPath')
      : ql === 'JSONata' && isJsonataExpression(state.Timestamp)
        ? jsonataReader(state.Timestamp)
        : () => Promise.resolve(state.Timestamp);
  return async (ctx) => {
    const timestamp = await read(ctx);
    if (typeof timestamp !== 'string' || !rfc3339.test(timestamp) || Number.isNaN(Date.parse(timestamp)))
      throw runtimeError(
        ctx,
        `The Timestamp ${JSON.stringify(timestamp)} is not an RFC 3339 timestamp such as 2024-08-18T17:33:00Z.`,
      );
    // AWS considers the time up to seconds and truncates milliseconds.
    return Math.floor(Date.parse(timestamp) / 1000) * 1000;
  };
}

function readerOf(path: string, field: string): (ctx: StateContext) => Promise<unknown> {
  const compiled = compilePath(path);
  return async (ctx) => {
    try {
      return compiled.read(scopeOf(ctx, ctx.rawInput));
    } catch (error) {
      if (!(error instanceof PathNotFoundError)) throw error;
      throw runtimeError(ctx, `Invalid path '${path}' : The ${field} could not be found in the input.`);
    }
  };
}

function jsonataReader(expression: string): (ctx: StateContext) => Promise<unknown> {
  const compiled = compileJsonataTemplate(expression);
  return (ctx) => compiled.evaluate(jsonataStatesOf(ctx), ctx.frame.variables);
}

/** Fail's Error or Cause: a string, a JSONPath or intrinsic (…Path), or a JSONata expression. */
function compileFailText(
  value: string | undefined,
  path: string | undefined,
  field: string,
  ql: QueryLanguage,
): CompiledFail['error'] {
  if (path !== undefined) {
    const intrinsic = isIntrinsic(path) ? compileIntrinsic(path) : undefined;
    const read = intrinsic ? undefined : readerOf(path, `${field}Path`);
    return async (ctx) => {
      const text = intrinsic ? intrinsic(scopeOf(ctx, ctx.rawInput)) : await read!(ctx);
      if (typeof text !== 'string')
        throw runtimeError(
          ctx,
          `The value at ${field}Path '${path}' must be a string, got ${JSON.stringify(text)}.`,
        );
      return text;
    };
  }
  if (value !== undefined && ql === 'JSONata' && isJsonataExpression(value)) {
    const read = jsonataReader(value);
    return async (ctx) => {
      const text = await read(ctx);
      if (typeof text !== 'string')
        throw new StatesError(
          StatesErrorNames.QueryEvaluationError,
          `An error occurred while executing the state '${ctx.name}' (entered at the event id #${ctx.enteredEventId}). The ${field} field must be a string, got ${JSON.stringify(text)}.`,
        );
      return text;
    };
  }
  return () => Promise.resolve(value);
}

function compileChoices(state: ChoiceState, ql: QueryLanguage): CompiledChoice['choices'] {
  return state.Choices.map((choice) => {
    const io = compileIo(
      {
        InputPath: state.InputPath,
        OutputPath: state.OutputPath,
        Output: choice.Output ?? state.Output,
        Assign: choice.Assign ?? state.Assign,
      },
      ql,
    );
    if (ql === 'JSONata') {
      const condition = compileJsonataTemplate(choice.Condition);
      return {
        next: choice.Next,
        io,
        matches: async (ctx: StateContext) =>
          (await condition.evaluate(jsonataStatesOf(ctx), ctx.frame.variables)) === true,
      };
    }
    const rule = compileChoiceRule(choice as ChoiceRule);
    return {
      next: choice.Next,
      io,
      matches: async (ctx: StateContext, input: unknown) => matchRule(rule, ctx, input),
    };
  });
}

function compileMap(
  state: MapState,
  ql: QueryLanguage,
  machineLanguage: QueryLanguage,
  base: Omit<CompiledMap, keyof MapOnly>,
): CompiledMap {
  const processorSource = state.ItemProcessor ?? state.Iterator;
  // Nested states take the machine's query language, not the Map state's own (as AWS validates and runs them).
  const processor = compileMachine(processorSource!, machineLanguage);
  const selectorTemplate =
    state.ItemSelector ?? (ql === 'JSONPath' ? (state as { Parameters?: unknown }).Parameters : undefined);
  const jsonataSelector =
    ql === 'JSONata' && selectorTemplate !== undefined ? compileJsonataTemplate(selectorTemplate) : undefined;
  const pathSelector =
    ql === 'JSONPath' && selectorTemplate !== undefined
      ? compilePayloadTemplate(selectorTemplate)
      : undefined;
  const itemsPath = state.ItemsPath && state.ItemsPath !== '$' ? compilePath(state.ItemsPath) : undefined;
  const items = state.Items === undefined ? undefined : compileJsonataTemplate(state.Items);
  // The context object is the same for every item of one attempt of a Map state: built once, not per item.
  const contexts = new WeakMap<StateContext, { retryCount: number; context: object }>();
  const contextOf = (ctx: StateContext) => {
    let cached = contexts.get(ctx);
    if (cached?.retryCount !== ctx.retryCount) {
      cached = { retryCount: ctx.retryCount, context: contextObjectOf(ctx) };
      contexts.set(ctx, cached);
    }
    return cached.context;
  };
  const block = (holder: { Parameters?: unknown; Arguments?: unknown } | undefined) =>
    holder && compileTemplate(ql === 'JSONata' ? (holder.Arguments ?? {}) : (holder.Parameters ?? {}), ql);
  const blocks = { ItemReader: block(state.ItemReader), ResultWriter: block(state.ResultWriter) };
  const batcher = state.ItemBatcher ?? {};
  const batchInput = batcher.BatchInput === undefined ? undefined : compileTemplate(batcher.BatchInput, ql);
  const batcherNumbers = {
    MaxItemsPerBatch: compileNumber(
      'MaxItemsPerBatch',
      batcher.MaxItemsPerBatch,
      batcher.MaxItemsPerBatchPath as string | undefined,
      ql,
      POSITIVE,
    ),
    MaxInputBytesPerBatch: compileNumber(
      'MaxInputBytesPerBatch',
      batcher.MaxInputBytesPerBatch,
      batcher.MaxInputBytesPerBatchPath as string | undefined,
      ql,
      POSITIVE,
    ),
  };
  const readerConfig = state.ItemReader?.ReaderConfig ?? {};
  return {
    ...base,
    processor,
    distributed: state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED',
    async items(ctx) {
      let value: unknown;
      if (ql === 'JSONata') {
        value = items ? await items.evaluate(jsonataStatesOf(ctx), ctx.frame.variables) : ctx.rawInput;
        if (!Array.isArray(value))
          throw new StatesError(
            StatesErrorNames.QueryEvaluationError,
            `An error occurred while executing the state '${ctx.name}' (entered at the event id #${ctx.enteredEventId}). The Items field must evaluate to a JSON array, got ${JSON.stringify(value)?.slice(0, 200)}.`,
          );
        return value;
      }
      const input = base.io.selectInput(ctx);
      try {
        value = itemsPath ? itemsPath.read(scopeOf(ctx, input)) : input;
      } catch (error) {
        if (!(error instanceof PathNotFoundError)) throw error;
        throw runtimeError(
          ctx,
          `Invalid path '${state.ItemsPath}' : No results for path: ${state.ItemsPath}`,
        );
      }
      if (!Array.isArray(value))
        throw runtimeError(
          ctx,
          `Item Path '${state.ItemsPath ?? '$'}' must point to a JSON array, got ${JSON.stringify(value)?.slice(0, 200)}.`,
        );
      return value;
    },
    async selectItem(ctx, value, index) {
      if (!jsonataSelector && !pathSelector) return value;
      const context = { ...contextOf(ctx), Map: { Item: { Index: index, Value: value } } };
      if (jsonataSelector)
        return jsonataSelector.evaluate({ input: ctx.rawInput, context }, ctx.frame.variables);
      return pathSelector!({ input: base.io.selectInput(ctx), context, variables: ctx.frame.variables });
    },
    maxConcurrency: compileNumber(
      'MaxConcurrency',
      state.MaxConcurrency,
      state.MaxConcurrencyPath,
      ql,
      POSITIVE,
    ),
    toleratedFailurePercentage: compileNumber(
      'ToleratedFailurePercentage',
      state.ToleratedFailurePercentage,
      state.ToleratedFailurePercentagePath,
      ql,
      PERCENTAGE,
    ),
    toleratedFailureCount: compileNumber(
      'ToleratedFailureCount',
      state.ToleratedFailureCount,
      state.ToleratedFailureCountPath,
      ql,
      COUNT,
    ),
    readerMaxItems: compileNumber(
      'MaxItems',
      readerConfig.MaxItems,
      readerConfig.MaxItemsPath as string | undefined,
      ql,
      POSITIVE,
    ),
    async block(ctx, which) {
      const template = blocks[which];
      if (!template) return {};
      return ((await template(ctx, base.io.selectInput(ctx))) ?? {}) as Record<string, unknown>;
    },
    async batchInput(ctx) {
      return batchInput?.(ctx, ctx.rawInput);
    },
    batcherNumber: (ctx, field) => batcherNumbers[field](ctx),
  };
}

/** A template in the state's query language: JSONata reads `$states`, JSONPath reads `input`. */
function compileTemplate(
  template: unknown,
  ql: QueryLanguage,
): (ctx: StateContext, input: unknown) => Promise<unknown> {
  if (ql === 'JSONata') {
    const compiled = compileJsonataTemplate(template);
    return (ctx) => compiled.evaluate(jsonataStatesOf(ctx), ctx.frame.variables);
  }
  const compiled = compilePayloadTemplate(template);
  return async (ctx, input) => compiled(scopeOf(ctx, input));
}

type MapOnly = Omit<CompiledMap, keyof CompiledState | 'type' | 'source'>;

function compileState(name: string, state: State, inherited: QueryLanguage): CompiledState {
  const fields = state as Fields;
  const ql = state.QueryLanguage ?? inherited;
  const withErrors = state.Type === 'Task' || state.Type === 'Parallel' || state.Type === 'Map';
  const base = {
    name,
    queryLanguage: ql,
    next: fields.Next,
    io: compileIo(fields, ql, state.Type === 'Map' ? 'ItemSelector' : 'Parameters'),
    retriers: withErrors ? (fields.Retry ?? []) : [],
    catchers: withErrors ? (fields.Catch ?? []).map((catcher) => compileCatcher(catcher, ql)) : [],
    events: { entered: `${state.Type}StateEntered`, exited: `${state.Type}StateExited` },
    assigns:
      fields.Assign !== undefined ||
      (fields.Catch ?? []).some((catcher) => catcher.Assign !== undefined) ||
      (state.Type === 'Choice' && state.Choices.some((choice) => choice.Assign !== undefined)),
  };
  switch (state.Type) {
    case 'Pass':
    case 'Succeed':
      return { ...base, type: state.Type, source: state } as CompiledState;
    case 'Task':
      return {
        ...base,
        type: 'Task',
        source: state,
        timeoutSeconds: compileNumber('TimeoutSeconds', state.TimeoutSeconds, state.TimeoutSecondsPath, ql, {
          min: 1,
          integer: true,
        }),
        heartbeatSeconds: compileNumber(
          'HeartbeatSeconds',
          state.HeartbeatSeconds,
          state.HeartbeatSecondsPath,
          ql,
          { min: 1, integer: true },
        ),
      };
    case 'Choice':
      return {
        ...base,
        type: 'Choice',
        source: state,
        choices: compileChoices(state, ql),
        default: state.Default,
      };
    case 'Wait':
      return { ...base, type: 'Wait', source: state, until: compileWait(state, ql) };
    case 'Fail':
      return {
        ...base,
        type: 'Fail',
        source: state,
        error: compileFailText(state.Error, state.ErrorPath, 'Error', ql),
        cause: compileFailText(state.Cause, state.CausePath, 'Cause', ql),
      };
    case 'Parallel':
      return {
        ...base,
        type: 'Parallel',
        source: state,
        branches: state.Branches.map((branch) => compileMachine(branch, inherited)),
      };
    case 'Map':
      return compileMap(state, ql, inherited, { ...base, type: 'Map', source: state } as Omit<
        CompiledMap,
        keyof MapOnly
      >);
  }
}

/** Compiles a (sub)machine; its states inherit its query language unless they set their own. */
export function compileMachine(machine: Machine, inherited: QueryLanguage = 'JSONPath'): CompiledMachine {
  const queryLanguage = machine.QueryLanguage ?? inherited;
  return {
    startAt: machine.StartAt,
    states: new Map(
      Object.entries(machine.States).map(([name, state]) => [name, compileState(name, state, queryLanguage)]),
    ),
    queryLanguage,
    ...(machine.TimeoutSeconds !== undefined ? { timeoutSeconds: machine.TimeoutSeconds } : {}),
    source: machine,
  };
}

/** Compiles a validated definition (see `parseDefinition`) once; executions then only run it. */
export const compileDefinition = (definition: StateMachineDefinition): CompiledMachine =>
  compileMachine(definition, definition.QueryLanguage);
