import type { Machine, MapState, ResultWriter } from '../definition/types.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext } from '../frame.ts';
import type { ResultWriterConfig } from '../ports.ts';
import { applyPayloadTemplate } from '../paths/payload-template.ts';
import { readPath } from '../paths/json-path.ts';
import { evaluateJsonata, numberField, numberFromPath, scopeOf } from '../state-io.ts';
import { itemsOf, selectItem } from './map.ts';

async function templateOf(
  ctx: StateContext<MapState>,
  block: { Parameters?: unknown; Arguments?: unknown } | undefined,
): Promise<Record<string, unknown>> {
  if (!block) return {};
  if (ctx.queryLanguage === 'JSONata')
    return ((await evaluateJsonata(ctx, block.Arguments ?? {})) ?? {}) as Record<string, unknown>;
  const input =
    ctx.state.InputPath === null
      ? {}
      : ctx.state.InputPath
        ? readPath(ctx.state.InputPath, scopeOf(ctx, ctx.rawInput))
        : ctx.rawInput;
  return (applyPayloadTemplate(block.Parameters ?? {}, scopeOf(ctx, input)) ?? {}) as Record<string, unknown>;
}

async function configNumber(
  ctx: StateContext<MapState>,
  holder: Record<string, unknown> | undefined,
  field: string,
): Promise<number | undefined> {
  if (!holder) return undefined;
  return (
    (await numberField(ctx, holder[field], field)) ??
    numberFromPath(ctx, holder[`${field}Path`] as string | undefined, ctx.rawInput, `${field}Path`)
  );
}

function childDefinition(processor: Machine, queryLanguage: string): Record<string, unknown> {
  const { ProcessorConfig: _config, ...machine } = processor as Machine & { ProcessorConfig?: unknown };
  return { ...machine, QueryLanguage: machine.QueryLanguage ?? queryLanguage };
}

/** Where the results go (Resource + Parameters) and their shape (WriterConfig, with AWS's defaults). */
async function resultWriterOf(
  ctx: StateContext<MapState>,
  writer: ResultWriter,
): Promise<ResultWriterConfig> {
  const target = writer.Resource ? await templateOf(ctx, writer) : undefined;
  return {
    ...(target
      ? {
          destination: {
            bucket: String(target.Bucket),
            ...(target.Prefix !== undefined ? { prefix: String(target.Prefix) } : {}),
          },
        }
      : {}),
    transformation: writer.WriterConfig?.Transformation ?? (target ? 'NONE' : 'COMPACT'),
    outputType: writer.WriterConfig?.OutputType ?? 'JSON',
  };
}

/** Evaluates a Distributed Map's fields and hands the Map Run to the `distributedMap` port. */
export async function runDistributedMap(ctx: StateContext<MapState>, processor: Machine): Promise<unknown> {
  const { state, frame } = ctx;
  const port = frame.options.distributedMap;
  if (!port)
    throw new StatesError(
      StatesErrorNames.Runtime,
      'This emulator was started without Distributed Map support',
    );
  const reader = state.ItemReader;
  const readerConfig = reader?.ReaderConfig ? { ...reader.ReaderConfig } : undefined;
  if (readerConfig && readerConfig.MaxItemsPath !== undefined) {
    readerConfig.MaxItems = numberFromPath(
      ctx,
      readerConfig.MaxItemsPath as string,
      ctx.rawInput,
      'MaxItemsPath',
    );
    delete readerConfig.MaxItemsPath;
  }
  const batcher = state.ItemBatcher;
  const batchInput =
    batcher?.BatchInput === undefined
      ? undefined
      : ctx.queryLanguage === 'JSONata'
        ? await evaluateJsonata(ctx, batcher.BatchInput)
        : applyPayloadTemplate(batcher.BatchInput, scopeOf(ctx, ctx.rawInput));
  const processorConfig = state.ItemProcessor?.ProcessorConfig;
  return port.run({
    stateName: ctx.name,
    executionArn: frame.execution.executionArn,
    stateMachineArn: frame.execution.stateMachineArn,
    source: reader
      ? { reader: { resource: reader.Resource, parameters: await templateOf(ctx, reader), readerConfig } }
      : { items: await itemsOf(ctx) },
    selectItem: (value, index) => selectItem(ctx, value, index),
    ...(batcher
      ? {
          batcher: {
            maxItemsPerBatch: await configNumber(ctx, batcher, 'MaxItemsPerBatch'),
            maxInputBytesPerBatch: await configNumber(ctx, batcher, 'MaxInputBytesPerBatch'),
            batchInput,
          },
        }
      : {}),
    maxConcurrency: await configNumber(ctx, state as unknown as Record<string, unknown>, 'MaxConcurrency'),
    toleratedFailurePercentage: await configNumber(
      ctx,
      state as unknown as Record<string, unknown>,
      'ToleratedFailurePercentage',
    ),
    toleratedFailureCount: await configNumber(
      ctx,
      state as unknown as Record<string, unknown>,
      'ToleratedFailureCount',
    ),
    ...(state.ResultWriter ? { resultWriter: await resultWriterOf(ctx, state.ResultWriter) } : {}),
    ...(state.Label ? { label: state.Label } : {}),
    // A child runs the ItemProcessor as a state machine of its own: without its ProcessorConfig.
    processor: childDefinition(processor, ctx.queryLanguage),
    executionType: processorConfig?.ExecutionType ?? 'STANDARD',
    emit: (type, details) => {
      ctx.lastEventId = frame.history.emit(type, ctx.lastEventId, details);
    },
    signal: frame.options.signal,
  });
}
