import { z } from 'zod';
import { jsonataChoiceRule, jsonPathChoiceRule } from './choice-schemas.ts';
import { catchSchema, retrySchema } from './error-handling-schemas.ts';
import {
  anyJson,
  choiceOf,
  decimal,
  integer,
  jsonataExpression,
  jsonObject,
  jsonPath,
  nullablePath,
  nullableReferencePath,
  pathOrIntrinsic,
  referencePath,
  text,
  timestamp,
} from './field-schemas.ts';
import type { QueryLanguage, StateType } from './types.ts';

/**
 * One strict schema per state type and query language: a field the schema does not name is
 * refused ("Field 'X' is not supported", or AWS's query-language message for a field of the
 * other language). Nested state machines (Branches, ItemProcessor) are checked here only for
 * their own fields; the walker visits their states, so each state is parsed once.
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */

/** Fields only one query language has (AWS names the language when it refuses them). */
export const fieldsOnlyIn: Record<QueryLanguage, ReadonlySet<string>> = {
  JSONPath: new Set([
    'InputPath',
    'OutputPath',
    'Parameters',
    'ResultSelector',
    'ResultPath',
    'Result',
    'ItemsPath',
    'ErrorPath',
    'CausePath',
    'SecondsPath',
    'TimestampPath',
    'TimeoutSecondsPath',
    'HeartbeatSecondsPath',
    'MaxConcurrencyPath',
    'ToleratedFailurePercentagePath',
    'ToleratedFailureCountPath',
    'MaxItemsPath',
    'MaxItemsPerBatchPath',
    'MaxInputBytesPerBatchPath',
    'Variable',
  ]),
  JSONata: new Set(['Output', 'Arguments', 'Items', 'Condition']),
};

const MAX_SECONDS = 99_999_999;
const queryLanguage = choiceOf(['JSONPath', 'JSONata']);
const transition = { Next: text.optional(), End: z.boolean('Expected value of type [BOOLEAN]').optional() };

/** A nested state machine: its states are validated by the walker, not by this schema. */
// States before StartAt: AWS lists a definition without either as "[States, StartAt]".
const machineFields = {
  States: z.record(z.string(), z.unknown(), 'Expected value of type [OBJECT]'),
  StartAt: text,
  Comment: text.optional(),
};

function onlyOneOf(...fields: string[]) {
  return (state: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = fields.filter((field) => state[field] !== undefined);
    if (present.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `There should only be one of the following fields: [${present.join(', ')}]`,
      });
    }
  };
}

function exactlyOneOf(...fields: string[]) {
  return (state: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = fields.filter((field) => state[field] !== undefined);
    if (present.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `This object should have only one of the following fields: [${fields.join(', ')}]`,
      });
    }
    onlyOneOf(...fields)(state, ctx);
  };
}

/** The fields of input and output processing, per language. */
function io(language: QueryLanguage, withResult: boolean) {
  if (language === 'JSONata') return { Output: anyJson.optional() };
  return {
    InputPath: nullablePath.optional(),
    OutputPath: nullablePath.optional(),
    ...(withResult
      ? {
          Parameters: anyJson.optional(),
          ResultSelector: jsonObject.optional(),
          ResultPath: nullableReferencePath.optional(),
        }
      : {}),
  };
}

const common = (language: QueryLanguage) => ({
  Type: text,
  Comment: text.optional(),
  QueryLanguage: queryLanguage.optional(),
  ...io(language, false),
});

function pass(language: QueryLanguage) {
  return z.strictObject({
    ...common(language),
    ...transition,
    Assign: jsonObject.optional(),
    ...(language === 'JSONPath'
      ? {
          Result: anyJson.optional(),
          Parameters: anyJson.optional(),
          ResultPath: nullableReferencePath.optional(),
        }
      : {}),
  });
}

function task(language: QueryLanguage) {
  const seconds = integer(language, 1, MAX_SECONDS).optional();
  return z
    .strictObject({
      ...common(language),
      ...io(language, true),
      ...transition,
      Resource: text,
      Assign: jsonObject.optional(),
      Retry: retrySchema.optional(),
      Catch: catchSchema(language).optional(),
      TimeoutSeconds: seconds,
      HeartbeatSeconds: seconds,
      Credentials: jsonObject.optional(),
      ...(language === 'JSONata'
        ? { Arguments: anyJson.optional() }
        : { TimeoutSecondsPath: referencePath.optional(), HeartbeatSecondsPath: referencePath.optional() }),
    })
    .superRefine(onlyOneOf('TimeoutSeconds', 'TimeoutSecondsPath'))
    .superRefine(onlyOneOf('HeartbeatSeconds', 'HeartbeatSecondsPath'))
    .superRefine((state, ctx) => {
      const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = state;
      if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout) {
        ctx.addIssue({
          code: 'custom',
          path: ['HeartbeatSeconds'],
          message: "'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
        });
      }
    });
}

function choice(language: QueryLanguage) {
  return z.strictObject({
    ...common(language),
    Choices: z
      .array(
        language === 'JSONata' ? jsonataChoiceRule : jsonPathChoiceRule,
        'Expected value of type [ARRAY]',
      )
      .min(1, 'Value cannot be empty'),
    Default: text.optional(),
    Assign: jsonObject.optional(),
  });
}

function wait(language: QueryLanguage) {
  const timing = ['SecondsPath', 'Seconds', 'TimestampPath', 'Timestamp'];
  return z
    .strictObject({
      ...common(language),
      ...transition,
      Assign: jsonObject.optional(),
      Seconds: integer(language, 0, MAX_SECONDS).optional(),
      Timestamp: (language === 'JSONata' ? z.union([jsonataExpression, timestamp]) : timestamp).optional(),
      ...(language === 'JSONPath'
        ? { SecondsPath: referencePath.optional(), TimestampPath: referencePath.optional() }
        : {}),
    })
    .superRefine(exactlyOneOf(...timing));
}

function succeed(language: QueryLanguage) {
  return z.strictObject(common(language));
}

function fail(language: QueryLanguage) {
  return z
    .strictObject({
      Type: text,
      Comment: text.optional(),
      QueryLanguage: queryLanguage.optional(),
      Error: text.optional(),
      Cause: text.optional(),
      ...(language === 'JSONPath'
        ? { ErrorPath: pathOrIntrinsic.optional(), CausePath: pathOrIntrinsic.optional() }
        : {}),
    })
    .superRefine(onlyOneOf('Error', 'ErrorPath'))
    .superRefine(onlyOneOf('Cause', 'CausePath'));
}

function parallel(language: QueryLanguage) {
  return z.strictObject({
    ...common(language),
    ...io(language, true),
    ...transition,
    Branches: z
      .array(z.strictObject(machineFields), 'Expected value of type [ARRAY]')
      .min(1, 'Value cannot be empty'),
    Assign: jsonObject.optional(),
    Retry: retrySchema.optional(),
    Catch: catchSchema(language).optional(),
    ...(language === 'JSONata' ? { Arguments: anyJson.optional() } : {}),
  });
}

/** A ResultWriter exports to S3 (Resource + its parameters), shapes results (WriterConfig), or both. */
function resultWriter(language: QueryLanguage) {
  const parameters = language === 'JSONata' ? 'Arguments' : 'Parameters';
  return z
    .strictObject({
      Resource: text.optional(),
      [parameters]: anyJson.optional(),
      WriterConfig: z
        .strictObject({
          Transformation: choiceOf(['NONE', 'COMPACT', 'FLATTEN']).optional(),
          OutputType: choiceOf(['JSON', 'JSONL']).optional(),
        })
        .optional(),
    })
    .superRefine((writer, ctx) => {
      if (writer.Resource !== undefined && writer[parameters] === undefined) {
        ctx.addIssue({ code: 'custom', message: `These fields are required: [${parameters}]` });
      }
      if (writer.Resource === undefined && writer.WriterConfig === undefined) {
        ctx.addIssue({ code: 'custom', message: 'These fields are required: [Resource, WriterConfig]' });
      }
    });
}

function itemReader(language: QueryLanguage) {
  return z.strictObject({
    Resource: text,
    [language === 'JSONata' ? 'Arguments' : 'Parameters']: anyJson.optional(),
    ReaderConfig: z
      .strictObject({
        InputType: choiceOf(['CSV', 'JSON', 'JSONL', 'MANIFEST', 'PARQUET']).optional(),
        CSVHeaderLocation: choiceOf(['FIRST_ROW', 'GIVEN']).optional(),
        CSVHeaders: z.array(text, 'Expected value of type [ARRAY]').optional(),
        CSVDelimiter: choiceOf(['COMMA', 'PIPE', 'SEMICOLON', 'SPACE', 'TAB']).optional(),
        ManifestType: text.optional(),
        MaxItems: integer(language, 0, 100_000_000).optional(),
        ...(language === 'JSONPath' ? { MaxItemsPath: referencePath.optional() } : {}),
      })
      .superRefine(onlyOneOf('MaxItems', 'MaxItemsPath'))
      .optional(),
  });
}

function itemBatcher(language: QueryLanguage) {
  return z
    .strictObject({
      MaxItemsPerBatch: integer(language, 1).optional(),
      MaxInputBytesPerBatch: integer(language, 1, 262_144).optional(),
      BatchInput: anyJson.optional(),
      ...(language === 'JSONPath'
        ? {
            MaxItemsPerBatchPath: referencePath.optional(),
            MaxInputBytesPerBatchPath: referencePath.optional(),
          }
        : {}),
    })
    .superRefine(onlyOneOf('MaxItemsPerBatch', 'MaxItemsPerBatchPath'))
    .superRefine(onlyOneOf('MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'));
}

function map(language: QueryLanguage) {
  return z
    .strictObject({
      ...common(language),
      ...io(language, true),
      ...transition,
      ItemProcessor: z
        .strictObject({
          ...machineFields,
          ProcessorConfig: z
            .strictObject({
              Mode: choiceOf(['INLINE', 'DISTRIBUTED']).optional(),
              ExecutionType: choiceOf(['STANDARD', 'EXPRESS']).optional(),
            })
            .optional(),
        })
        .optional(),
      Iterator: z.strictObject(machineFields).optional(),
      ItemSelector: anyJson.optional(),
      ItemReader: itemReader(language).optional(),
      ItemBatcher: itemBatcher(language).optional(),
      ResultWriter: resultWriter(language).optional(),
      MaxConcurrency: integer(language, 0).optional(),
      ToleratedFailurePercentage: decimal(language, 0, 100).optional(),
      ToleratedFailureCount: integer(language, 0).optional(),
      Label: text.optional(),
      Assign: jsonObject.optional(),
      Retry: retrySchema.optional(),
      Catch: catchSchema(language).optional(),
      ...(language === 'JSONata'
        ? {
            Items: z
              .union(
                [z.array(z.unknown()), jsonataExpression],
                'Expected value of type [ARRAY] or a JSONata expression',
              )
              .optional(),
          }
        : {
            ItemsPath: jsonPath.optional(),
            MaxConcurrencyPath: referencePath.optional(),
            ToleratedFailurePercentagePath: referencePath.optional(),
            ToleratedFailureCountPath: referencePath.optional(),
          }),
    })
    .superRefine(exactlyOneOf('ItemProcessor', 'Iterator'))
    .superRefine(onlyOneOf('MaxConcurrency', 'MaxConcurrencyPath'))
    .superRefine(onlyOneOf('ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'))
    .superRefine(onlyOneOf('ToleratedFailureCount', 'ToleratedFailureCountPath'));
}

function build(language: QueryLanguage): Record<StateType, z.ZodType> {
  return {
    Pass: pass(language),
    Task: task(language),
    Choice: choice(language),
    Wait: wait(language),
    Succeed: succeed(language),
    Fail: fail(language),
    Parallel: parallel(language),
    Map: map(language),
  };
}

/** The schemas, built once. */
export const stateSchemas: Record<QueryLanguage, Record<StateType, z.ZodType>> = {
  JSONPath: build('JSONPath'),
  JSONata: build('JSONata'),
};

/** The top level of a definition (its states are validated one by one by the walker). */
export const definitionSchema = z.strictObject({
  ...machineFields,
  QueryLanguage: queryLanguage.optional(),
  TimeoutSeconds: integer('JSONPath', 1, MAX_SECONDS).optional(),
  Version: text.optional(),
});
