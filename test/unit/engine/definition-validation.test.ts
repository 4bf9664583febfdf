import { describe, expect, it } from '@jest/globals';
import {
  diagnoseDefinition,
  InvalidDefinitionError,
  parseDefinition,
} from '../../../local/engine/definition/parse-definition.ts';

type States = Record<string, object>;
/** A one-state machine (or several), in JSONPath unless said otherwise. */
const machine = (states: States, extra: object = {}) =>
  JSON.stringify({ StartAt: Object.keys(states)[0], States: states, ...extra });
const jsonata = (states: States) => machine(states, { QueryLanguage: 'JSONata' });
const task = (fields: object) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  End: true,
  ...fields,
});
const inline = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
const distributed = (fields: object) => ({
  Type: 'Map',
  ItemProcessor: { ...inline, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
  End: true,
  ...fields,
});

const docs = 'https://docs.aws.amazon.com/step-functions/latest/dg';
const SCHEMA = 'SCHEMA_VALIDATION_FAILED';
const languageMessage = (language: string, field: string, other: string) =>
  `The QueryLanguage is set to '${language}', but field '${field}' is only supported for the '${other}' QueryLanguage`;

// [case, definition, code, message, location, AWS page]
const refusals: [string, string, string, string, string | undefined, string][] = [
  ...['InputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'OutputPath'].map(
    (field): [string, string, string, string, string, string] => [
      `a JSONata Task with ${field}`,
      jsonata({ T: task({ [field]: field === 'Parameters' || field === 'ResultSelector' ? {} : '$' }) }),
      SCHEMA,
      languageMessage('JSONata', field, 'JSONPath'),
      '/States/T',
      `${docs}/transforming-data.html`,
    ],
  ),
  ...['Output', 'Arguments'].map((field): [string, string, string, string, string, string] => [
    `a JSONPath Task with ${field}`,
    machine({ T: task({ [field]: {} }) }),
    SCHEMA,
    languageMessage('JSONPath', field, 'JSONata'),
    '/States/T',
    `${docs}/transforming-data.html`,
  ]),
  [
    'a state downgrading a JSONata machine to JSONPath',
    jsonata({ P: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } }),
    SCHEMA,
    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
    '/States/P',
    `${docs}/transforming-data.html`,
  ],
  [
    'an unknown QueryLanguage',
    machine({ P: { Type: 'Pass', End: true } }, { QueryLanguage: 'JSONPATH' }),
    SCHEMA,
    'Value should be one of the following: [JSONPath, JSONata]',
    '/QueryLanguage',
    `${docs}/transforming-data.html`,
  ],
  [
    'QueryLanguage on an ItemProcessor',
    machine({ M: { Type: 'Map', ItemProcessor: { ...inline, QueryLanguage: 'JSONata' }, End: true } }),
    SCHEMA,
    "Field 'QueryLanguage' is not supported",
    '/States/M/ItemProcessor',
    `${docs}/transforming-data.html`,
  ],
  [
    'a Seconds that is not exactly {% … %}',
    jsonata({ W: { Type: 'Wait', Seconds: ' {% 5 %}', End: true } }),
    SCHEMA,
    'Value is not a JSONata expression',
    '/States/W/Seconds',
    `${docs}/transforming-data.html`,
  ],
  [
    'a JSONata expression that does not parse',
    jsonata({ P: { Type: 'Pass', Output: { v: '{% a[1,2) %}' }, End: true } }),
    'INVALID_JSONATA_EXPRESSION',
    'Expected "]", got ","',
    '/States/P/Output/v',
    `${docs}/transforming-data.html`,
  ],
  [
    'a Condition that is neither a boolean nor an expression',
    jsonata({
      C: { Type: 'Choice', Choices: [{ Condition: 'yes', Next: 'D' }], Default: 'D' },
      D: { Type: 'Succeed' },
    }),
    SCHEMA,
    'Value is not a JSONata expression',
    '/States/C/Choices[0]/Condition',
    `${docs}/state-choice.html`,
  ],
  [
    'a JSONata Choice rule without a Condition',
    jsonata({ C: { Type: 'Choice', Choices: [{ Next: 'D' }] }, D: { Type: 'Succeed' } }),
    SCHEMA,
    'These fields are required: [Condition]',
    '/States/C/Choices[0]',
    `${docs}/state-choice.html`,
  ],
  [
    'a JSONPath Choice rule with two comparisons',
    machine({
      C: { Type: 'Choice', Choices: [{ Variable: '$.a', StringEquals: 'x', IsNull: true, Next: 'D' }] },
      D: { Type: 'Succeed' },
    }),
    SCHEMA,
    'There should only be one of the following fields: [Variable, StringEquals, IsNull]',
    '/States/C/Choices[0]',
    `${docs}/state-choice.html`,
  ],
  [
    'Next inside a nested Choice rule',
    machine({
      C: { Type: 'Choice', Choices: [{ Not: { Variable: '$.a', IsNull: true, Next: 'D' }, Next: 'D' }] },
      D: { Type: 'Succeed' },
    }),
    SCHEMA,
    "Field 'Next' is not supported",
    '/States/C/Choices[0]/Not',
    `${docs}/state-choice.html`,
  ],
  [
    'an empty ErrorEquals',
    machine({ T: task({ Retry: [{ ErrorEquals: [] }] }) }),
    SCHEMA,
    'Value cannot be empty',
    '/States/T/Retry[0]/ErrorEquals',
    `${docs}/concepts-error-handling.html`,
  ],
  [
    'States.ALL with another error name',
    machine({ T: task({ Retry: [{ ErrorEquals: ['States.ALL', 'States.Timeout'] }] }) }),
    SCHEMA,
    "'States.ALL' must appear alone in 'ErrorEquals'",
    '/States/T/Retry[0]/ErrorEquals',
    `${docs}/concepts-error-handling.html`,
  ],
  [
    'States.ALL in a catcher that is not the last',
    machine({
      T: task({
        Catch: [
          { ErrorEquals: ['States.ALL'], Next: 'F' },
          { ErrorEquals: ['X'], Next: 'F' },
        ],
      }),
      F: { Type: 'Fail' },
    }),
    SCHEMA,
    "'States.ALL' must appear in the last element",
    '/States/T/Catch[0]/ErrorEquals',
    `${docs}/concepts-error-handling.html`,
  ],
  [
    'a negative MaxAttempts',
    machine({ T: task({ Retry: [{ ErrorEquals: ['X'], MaxAttempts: -1 }] }) }),
    SCHEMA,
    'Minimum value is 0',
    '/States/T/Retry[0]/MaxAttempts',
    `${docs}/concepts-error-handling.html`,
  ],
  [
    'an IntervalSeconds of 0',
    machine({ T: task({ Retry: [{ ErrorEquals: ['X'], IntervalSeconds: 0 }] }) }),
    SCHEMA,
    'Minimum value is 1',
    '/States/T/Retry[0]/IntervalSeconds',
    `${docs}/concepts-error-handling.html`,
  ],
  [
    'a BackoffRate below 1',
    machine({ T: task({ Retry: [{ ErrorEquals: ['X'], BackoffRate: 0.5 }] }) }),
    SCHEMA,
    'Minimum value is 1.0',
    '/States/T/Retry[0]/BackoffRate',
    `${docs}/concepts-error-handling.html`,
  ],
  [
    'a MaxDelaySeconds of 0',
    machine({ T: task({ Retry: [{ ErrorEquals: ['X'], MaxDelaySeconds: 0 }] }) }),
    SCHEMA,
    'Minimum value is 1',
    '/States/T/Retry[0]/MaxDelaySeconds',
    `${docs}/concepts-error-handling.html`,
  ],
  [
    'an unknown JitterStrategy',
    machine({ T: task({ Retry: [{ ErrorEquals: ['X'], JitterStrategy: 'HALF' }] }) }),
    SCHEMA,
    'Value should be one of the following: [FULL, NONE]',
    '/States/T/Retry[0]/JitterStrategy',
    `${docs}/concepts-error-handling.html`,
  ],
  [
    'a catcher without Next',
    machine({ T: task({ Catch: [{ ErrorEquals: ['X'] }] }) }),
    SCHEMA,
    'These fields are required: [Next]',
    '/States/T/Catch[0]',
    `${docs}/concepts-error-handling.html`,
  ],
  [
    'Retry on a Pass state (measured on AWS: https://github.com/floci-io/floci/issues/2735)',
    machine({ P: { Type: 'Pass', Retry: [], End: true } }),
    SCHEMA,
    "Field 'Retry' is not supported",
    '/States/P',
    `${docs}/state-pass.html`,
  ],
  [
    'a Map with neither ItemProcessor nor Iterator',
    machine({ M: { Type: 'Map', End: true } }),
    SCHEMA,
    'This object should have only one of the following fields: [ItemProcessor, Iterator]',
    '/States/M',
    `${docs}/state-map.html`,
  ],
  [
    'an unknown ProcessorConfig Mode',
    machine({
      M: { Type: 'Map', ItemProcessor: { ...inline, ProcessorConfig: { Mode: 'LOCAL' } }, End: true },
    }),
    SCHEMA,
    'Value should be one of the following: [INLINE, DISTRIBUTED]',
    '/States/M/ItemProcessor/ProcessorConfig/Mode',
    `${docs}/state-map.html`,
  ],
  [
    'a ToleratedFailurePercentage over 100',
    machine({ M: distributed({ ToleratedFailurePercentage: 100.5 }) }),
    SCHEMA,
    'Maximum value is 100.0',
    '/States/M/ToleratedFailurePercentage',
    `${docs}/state-map-distributed.html`,
  ],
  [
    'a negative ToleratedFailureCount',
    machine({ M: distributed({ ToleratedFailureCount: -1 }) }),
    SCHEMA,
    'Minimum value is 0',
    '/States/M/ToleratedFailureCount',
    `${docs}/state-map-distributed.html`,
  ],
  [
    'a negative ReaderConfig MaxItems',
    machine({
      M: distributed({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          Parameters: {},
          ReaderConfig: { MaxItems: -1 },
        },
      }),
    }),
    SCHEMA,
    'Minimum value is 0',
    '/States/M/ItemReader/ReaderConfig/MaxItems',
    `${docs}/input-output-itemreader.html`,
  ],
  [
    'an ItemReader without a Resource',
    machine({ M: distributed({ ItemReader: { Parameters: {} } }) }),
    SCHEMA,
    'These fields are required: [Resource]',
    '/States/M/ItemReader',
    `${docs}/input-output-itemreader.html`,
  ],
  [
    'an ItemBatcher over 256 KiB',
    machine({ M: distributed({ ItemBatcher: { MaxInputBytesPerBatch: 300_000 } }) }),
    SCHEMA,
    'Maximum value is 262144',
    '/States/M/ItemBatcher/MaxInputBytesPerBatch',
    `${docs}/input-output-itembatcher.html`,
  ],
  [
    'a ResultWriter Resource without its Parameters',
    machine({ M: distributed({ ResultWriter: { Resource: 'arn:aws:states:::s3:putObject' } }) }),
    SCHEMA,
    'These fields are required: [Parameters]',
    '/States/M/ResultWriter',
    `${docs}/input-output-resultwriter.html`,
  ],
  [
    'MaxConcurrency with MaxConcurrencyPath',
    machine({ M: distributed({ MaxConcurrency: 1, MaxConcurrencyPath: '$.n' }) }),
    SCHEMA,
    'There should only be one of the following fields: [MaxConcurrency, MaxConcurrencyPath]',
    '/States/M',
    `${docs}/state-map.html`,
  ],
  [
    'a Label with a space',
    machine({ M: distributed({ Label: 'my rows' }) }),
    'INVALID_LABEL_NAME',
    'Invalid label name: my rows',
    '/States/M/Label',
    `${docs}/state-map-distributed.html`,
  ],
  [
    'a Label used twice',
    machine({
      M: distributed({ Label: 'Rows', Next: 'N', End: undefined }),
      N: distributed({ Label: 'Rows' }),
    }),
    'DUPLICATE_LABEL_NAME',
    'Duplicate label name: Rows',
    '/States/N/Label',
    'https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html',
  ],
  [
    'a Wait without any of its four fields',
    machine({ W: { Type: 'Wait', End: true } }),
    SCHEMA,
    'This object should have only one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]',
    '/States/W',
    `${docs}/state-wait.html`,
  ],
  [
    'a Wait with Seconds and Timestamp',
    machine({ W: { Type: 'Wait', Seconds: 1, Timestamp: '2026-01-01T00:00:00Z', End: true } }),
    SCHEMA,
    'There should only be one of the following fields: [Seconds, Timestamp]',
    '/States/W',
    `${docs}/state-wait.html`,
  ],
  [
    'a Timestamp that is not RFC 3339',
    machine({ W: { Type: 'Wait', Timestamp: '2026-01-01 00:00:00', End: true } }),
    SCHEMA,
    'String does not match RFC3339 timestamp',
    '/States/W/Timestamp',
    `${docs}/state-wait.html`,
  ],
  [
    'a Fail with Error and ErrorPath',
    machine({ F: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' } }),
    SCHEMA,
    'There should only be one of the following fields: [Error, ErrorPath]',
    '/States/F',
    `${docs}/state-fail.html`,
  ],
  [
    'a Fail with Cause and CausePath',
    machine({ F: { Type: 'Fail', Cause: 'C', CausePath: '$.c' } }),
    SCHEMA,
    'There should only be one of the following fields: [Cause, CausePath]',
    '/States/F',
    `${docs}/state-fail.html`,
  ],
  [
    'a JSONata Fail with ErrorPath',
    jsonata({ F: { Type: 'Fail', ErrorPath: '$.e' } }),
    SCHEMA,
    languageMessage('JSONata', 'ErrorPath', 'JSONPath'),
    '/States/F',
    `${docs}/state-fail.html`,
  ],
  [
    'a Task without a Resource',
    machine({ T: { Type: 'Task', End: true } }),
    SCHEMA,
    'These fields are required: [Resource]',
    '/States/T',
    `${docs}/state-task.html`,
  ],
  [
    'TimeoutSeconds with TimeoutSecondsPath',
    machine({ T: task({ TimeoutSeconds: 5, TimeoutSecondsPath: '$.t' }) }),
    SCHEMA,
    'There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]',
    '/States/T',
    `${docs}/state-task.html`,
  ],
  [
    'a HeartbeatSeconds not below TimeoutSeconds',
    machine({ T: task({ TimeoutSeconds: 5, HeartbeatSeconds: 5 }) }),
    SCHEMA,
    "'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
    '/States/T/HeartbeatSeconds',
    `${docs}/state-task.html`,
  ],
  [
    'a state name over 80 characters',
    machine({ ['S'.repeat(81)]: { Type: 'Succeed' } }),
    'INVALID_STATE_NAME',
    `State name '${'S'.repeat(81)}' is longer than 80 characters`,
    `/States/${'S'.repeat(81)}`,
    `${docs}/statemachine-structure.html`,
  ],
  [
    'a state name used in two branches',
    machine({ P: { Type: 'Parallel', Branches: [inline, inline], End: true } }),
    'DUPLICATE_STATE_NAME',
    'Duplicate State name: P',
    '/States/P/Branches[0]/States/P',
    `${docs}/statemachine-structure.html`,
  ],
  [
    'both Next and End',
    machine({ P: { Type: 'Pass', Next: 'S', End: true }, S: { Type: 'Succeed' } }),
    SCHEMA,
    'There should only be one of the following fields: [Next, End]',
    '/States/P',
    `${docs}/statemachine-structure.html`,
  ],
  [
    'a workflow without a terminal state (measured on AWS: https://github.com/floci-io/floci/pull/2786)',
    machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } }),
    'MISSING_END_STATE',
    'Workflow has no terminal state',
    undefined,
    `${docs}/statemachine-structure.html`,
  ],
  [
    'a Choice Default naming no state',
    machine({
      C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsNull: true, Next: 'D' }], Default: 'X' },
      D: { Type: 'Succeed' },
    }),
    'MISSING_TRANSITION_TARGET',
    "Missing 'Next' target: X",
    '/States/C/Default',
    `${docs}/state-choice.html`,
  ],
  [
    'a variable name starting with a digit',
    machine({ P: { Type: 'Pass', Assign: { '1st': 1 }, End: true } }),
    SCHEMA,
    "The variable name '1st' is not valid",
    '/States/P/Assign/1st',
    `${docs}/workflow-variables.html`,
  ],
  [
    'a variable name over 80 characters',
    jsonata({ P: { Type: 'Pass', Assign: { ['v'.repeat(81)]: 1 }, End: true } }),
    SCHEMA,
    `The variable name '${'v'.repeat(81)}' is not valid`,
    `/States/P/Assign/${'v'.repeat(81)}`,
    `${docs}/workflow-variables.html`,
  ],
  [
    'a .$ field whose JSONPath does not close',
    machine({ P: { Type: 'Pass', Parameters: { 'a.$': '$.items[0' }, End: true } }),
    SCHEMA,
    "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
    '/States/P/Parameters/a.$',
    `${docs}/input-output-inputpath-params.html`,
  ],
  [
    'a .$ field that is not a string',
    machine({ P: { Type: 'Pass', Parameters: { nested: { 'a.$': 5 } }, End: true } }),
    SCHEMA,
    "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
    '/States/P/Parameters/nested/a.$',
    `${docs}/input-output-inputpath-params.html`,
  ],
  [
    'a ResultPath that is not a Reference Path',
    machine({ P: { Type: 'Pass', ResultPath: '$.items[*]', End: true } }),
    SCHEMA,
    'Value is not a Reference Path',
    '/States/P/ResultPath',
    `${docs}/input-output-resultpath.html`,
  ],
  [
    'a definition without StartAt and States (recorded on AWS)',
    '{}',
    SCHEMA,
    'These fields are required: [States, StartAt]',
    '/',
    'https://github.com/localstack/localstack/blob/master/tests/aws/services/stepfunctions/v2/test_sfn_api_validation.snapshot.json',
  ],
  [
    'an empty definition (recorded on AWS)',
    '',
    SCHEMA,
    'Definition must be a valid JSON object',
    undefined,
    'https://github.com/localstack/localstack/blob/master/tests/aws/services/stepfunctions/v2/test_sfn_api_validation.snapshot.json',
  ],
];

describe('definitions AWS refuses', () => {
  it.each(refusals)('%s', (_case, definition, code, message, location) => {
    const diagnostics = diagnoseDefinition(definition);

    expect(diagnostics).toContainEqual({
      severity: 'ERROR',
      code,
      message,
      ...(location !== undefined ? { location } : {}),
    });
    expect(() => parseDefinition(definition)).toThrow(InvalidDefinitionError);
  });

  it('words CreateStateMachine’s answer as AWS does: one problem quoted, several quoted each', () => {
    const one = machine({ A: { Type: 'Pass', Next: 'Nowhere' }, B: { Type: 'Succeed' } });
    const two = machine({ A: { Type: 'Pass', Next: 'Nowhere' } });

    expect(() => parseDefinition(one)).toThrow(
      "Invalid State Machine Definition: ''MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next', 'MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B''",
    );
    expect(() => parseDefinition(two)).toThrow(
      "Invalid State Machine Definition: ''MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next', 'MISSING_END_STATE: Workflow has no terminal state at null''",
    );
    expect(() => parseDefinition(machine({ P: { Type: 'Pass', Bogus: 1, End: true } }))).toThrow(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported at /States/P'",
    );
  });
});

// asl-validator refused these; AWS accepts them (issue 13).
const accepted: [string, string, string][] = [
  [
    'a JSONata Output that is not an object',
    jsonata({
      A: { Type: 'Pass', Output: 42, Next: 'B' },
      B: { Type: 'Pass', Output: [1, '{% $states.input %}'], End: true },
    }),
    `${docs}/transforming-data.html`,
  ],
  [
    'arrays in Assign',
    jsonata({
      P: { Type: 'Pass', Assign: { list: [1, '{% $states.input %}'], nested: { more: [[]] } }, End: true },
    }),
    `${docs}/workflow-variables.html`,
  ],
  [
    'Condition: true',
    jsonata({ C: { Type: 'Choice', Choices: [{ Condition: true, Next: 'D' }] }, D: { Type: 'Succeed' } }),
    `${docs}/state-choice.html`,
  ],
  [
    'a fractional ToleratedFailurePercentage',
    machine({ M: distributed({ ToleratedFailurePercentage: 12.5 }) }),
    `${docs}/state-map-distributed.html`,
  ],
  [
    'MaxItems: 0 (no limit)',
    machine({
      M: distributed({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          Parameters: { Bucket: 'b', Key: 'k' },
          ReaderConfig: { InputType: 'JSON', MaxItems: 0 },
        },
      }),
    }),
    `${docs}/input-output-itemreader.html`,
  ],
  [
    'Assign with .$ fields in a JSONPath state',
    machine({
      P: {
        Type: 'Pass',
        Assign: { 'total.$': '$.n', 'first.$': 'States.ArrayGetItem($.items, 0)' },
        End: true,
      },
    }),
    `${docs}/workflow-variables.html`,
  ],
];

describe('definitions AWS accepts', () => {
  it.each(accepted)('%s', (_case, definition) => {
    expect(diagnoseDefinition(definition)).toEqual([]);
    expect(parseDefinition(definition).StartAt).toBeDefined();
  });

  it('warns (NO_DOLLAR) of a path in a field without .$, and still accepts it', () => {
    const definition = machine({ P: { Type: 'Pass', Parameters: { id: '$.id' }, End: true } });

    expect(diagnoseDefinition(definition)).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        code: 'NO_DOLLAR',
        location: '/States/P/Parameters/id',
      }),
    ]);
    expect(() => parseDefinition(definition)).not.toThrow();
  });
});
