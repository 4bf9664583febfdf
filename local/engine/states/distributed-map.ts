import type { CompiledMap } from '../compile/compiled-machine.ts';
import type { Machine, ResultWriter } from '../definition/types.ts';
import { StatesError, StatesErrorNames } from '../errors.ts';
import type { StateContext } from '../frame.ts';
import type { ResultWriterConfig } from '../ports.ts';

function childDefinition(processor: Machine, queryLanguage: string): Record<string, unknown> {
  const { ProcessorConfig: _config, ...machine } = processor as Machine & { ProcessorConfig?: unknown };
  return { ...machine, QueryLanguage: machine.QueryLanguage ?? queryLanguage };
}

/** Where the results go (Resource + Parameters) and their shape (WriterConfig, with AWS's defaults). */
async function resultWriterOf(
  ctx: StateContext<CompiledMap>,
  writer: ResultWriter,
): Promise<ResultWriterConfig> {
  const target = writer.Resource ? await ctx.state.block(ctx, 'ResultWriter') : undefined;
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
export async function runDistributedMap(ctx: StateContext<CompiledMap>): Promise<unknown> {
  const { state: compiled, frame } = ctx;
  const state = compiled.source;
  const port = frame.options.distributedMap;
  if (!port)
    throw new StatesError(
      StatesErrorNames.Runtime,
      'This emulator was started without Distributed Map support',
    );
  const reader = state.ItemReader;
  let readerConfig: Record<string, unknown> | undefined;
  if (reader?.ReaderConfig) {
    const { MaxItemsPath: _path, ...config } = reader.ReaderConfig;
    const maxItems = await compiled.readerMaxItems(ctx);
    readerConfig = { ...config, ...(maxItems !== undefined ? { MaxItems: maxItems } : {}) };
  }
  const batcher = state.ItemBatcher;
  const processorConfig = state.ItemProcessor?.ProcessorConfig;
  return port.run({
    stateName: ctx.name,
    executionArn: frame.execution.executionArn,
    stateMachineArn: frame.execution.stateMachineArn,
    ...(frame.execution.testCase ? { testCase: frame.execution.testCase } : {}),
    source: reader
      ? {
          reader: {
            resource: reader.Resource,
            parameters: await compiled.block(ctx, 'ItemReader'),
            readerConfig,
          },
        }
      : { items: await compiled.items(ctx) },
    selectItem: (value, index) => compiled.selectItem(ctx, value, index),
    ...(batcher
      ? {
          batcher: {
            maxItemsPerBatch: await compiled.batcherNumber(ctx, 'MaxItemsPerBatch'),
            maxInputBytesPerBatch: await compiled.batcherNumber(ctx, 'MaxInputBytesPerBatch'),
            batchInput: await compiled.batchInput(ctx),
          },
        }
      : {}),
    maxConcurrency: await compiled.maxConcurrency(ctx),
    toleratedFailurePercentage: await compiled.toleratedFailurePercentage(ctx),
    toleratedFailureCount: await compiled.toleratedFailureCount(ctx),
    ...(state.ResultWriter ? { resultWriter: await resultWriterOf(ctx, state.ResultWriter) } : {}),
    ...(state.Label ? { label: state.Label } : {}),
    // A child runs the ItemProcessor as a state machine of its own: without its ProcessorConfig.
    processor: childDefinition(compiled.processor.source, compiled.processor.queryLanguage),
    executionType: processorConfig?.ExecutionType ?? 'STANDARD',
    emit: (type, details) => {
      ctx.lastEventId = frame.history.emit(type, ctx.lastEventId, details);
    },
    signal: frame.options.signal,
  });
}
