/**
 * TestState: runs one state of a definition with a mock or against the local cloud, and answers
 * what it did and what its Retry and Catch would do.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
 * AWS's validation messages quoted here are from LocalStack's recordings of real AWS
 * (tests/aws/services/stepfunctions/v2/test_state/test_state_mock_validation.snapshot.json).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CompiledState } from '../../engine/compile/compiled-machine.ts';
import { jsonText, parseWhenRead } from '../../engine/limits.ts';
import { testState, type TestStateInspection, type TestStateMock } from '../../engine/test-state.ts';
import { ApiError } from '../api-error.ts';
import { checkMockedResult } from '../mock-shape.ts';
import { defineAction, type ApiServices } from '../services.ts';
import { resolveTestTarget } from '../test-state-target.ts';

const MAX_PAYLOAD = 262_144;

const TestStateSchema = z
  .object({
    definition: z.string().min(1).max(1_048_576),
    roleArn: z.string().min(1).max(256).optional(),
    input: z.string().max(MAX_PAYLOAD).optional(),
    inspectionLevel: z.enum(['INFO', 'DEBUG', 'TRACE']).optional(),
    revealSecrets: z.boolean().optional(),
    variables: z.string().max(MAX_PAYLOAD).optional(),
    stateName: z.string().min(1).max(80).optional(),
    mock: z
      .object({
        result: z.string().max(MAX_PAYLOAD).optional(),
        errorOutput: z
          .object({ error: z.string().optional(), cause: z.string().optional() })
          .loose()
          .optional(),
        fieldValidationMode: z.enum(['STRICT', 'PRESENT', 'NONE']).optional(),
      })
      .loose()
      .optional(),
    context: z.string().max(MAX_PAYLOAD).optional(),
    stateConfiguration: z
      .object({
        retrierRetryCount: z.number().int().min(0).optional(),
        errorCausedByState: z.string().min(1).max(80).optional(),
        mapIterationFailureCount: z.number().int().min(0).optional(),
        mapItemReaderData: z.string().max(MAX_PAYLOAD).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

type TestStateInput = z.infer<typeof TestStateSchema>;

const invalid = (message: string) => new ApiError('ValidationException', message);

/** A JSON text field of the request, parsed; `what` names it in the error. */
function jsonField(text: string, what: string, error = 'ValidationException'): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ApiError(error, `Invalid ${what}: '${(cause as Error).message}'`);
  }
}

function objectField(text: string | undefined, what: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const value = jsonField(text, what);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalid(`Invalid ${what}: it must be a JSON object`);
  return value as Record<string, unknown>;
}

// Task resources AWS runs only with a mock in TestState (the developer guide's TestState page).
const needsMock = /(\.sync(:\d+)?|\.waitForTaskToken)$|:activity:/;

/** AWS's request checks that depend on the state being tested. */
function checkForState(state: CompiledState, input: TestStateInput): void {
  const { mock } = input;
  if (mock && !['Task', 'Map', 'Parallel'].includes(state.type))
    throw invalid(`State type '${state.type}' is not supported when a mock is specified`);
  if (mock) return;
  if (state.type === 'Map' || state.type === 'Parallel')
    throw new ApiError(
      'InvalidDefinition',
      'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
    );
  if (state.type === 'Task' && needsMock.test(state.source.Resource))
    throw invalid(`TestState needs a mock to test a Task with the resource '${state.source.Resource}'`);
  if (input.roleArn === undefined) throw invalid('TestState needs a roleArn when no mock is specified');
  if (input.context !== undefined) throw invalid('The context field may only be given with a mock');
}

/** The mock as the engine takes it, its result checked as AWS checks it for the state's type. */
async function mockOf(state: CompiledState, input: TestStateInput): Promise<TestStateMock | undefined> {
  const { mock } = input;
  if (!mock) return undefined;
  if (mock.result === undefined) {
    const { error, cause } = mock.errorOutput ?? {};
    return { error: error ?? '', ...(cause !== undefined ? { cause } : {}) };
  }
  const value = jsonField(mock.result, 'mocked result');
  if (state.type === 'Map') {
    const writes = state.source.ResultWriter !== undefined;
    if (writes && (value === null || typeof value !== 'object' || Array.isArray(value)))
      throw invalid('Mocked result must be a JSON object.');
    if (!writes && !Array.isArray(value)) throw invalid('Mocked result must be an array.');
  }
  if (state.type === 'Parallel') {
    if (!Array.isArray(value)) throw invalid('Mocked result must be an array.');
    if (value.length !== state.branches.length)
      throw invalid('Mocked result must contain the same number of items as number of Parallel branches.');
  }
  if (state.type === 'Task')
    await checkMockedResult(state.source.Resource, value, mock.fieldValidationMode ?? 'STRICT');
  // Parsed so that its text is kept: an output that is the mocked result is answered as written.
  return { result: parseWhenRead(mock.result) };
}

const TEXT_FIELDS = [
  'input',
  'afterInputPath',
  'afterParameters',
  'afterArguments',
  'result',
  'afterResultSelector',
  'afterResultPath',
  'afterItemsPath',
  'afterItemSelector',
  'afterItemBatcher',
] as const;

/** Inspection data as AWS sends it: payloads as JSON strings, counts as numbers. */
function inspectionData(inspection: TestStateInspection): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS)
    if (inspection[field] !== undefined) data[field] = jsonText(inspection[field]);
  if (Object.keys(inspection.variables).length) data.variables = jsonText(inspection.variables);
  for (const field of ['maxConcurrency', 'toleratedFailureCount', 'toleratedFailurePercentage'] as const)
    if (inspection[field] !== undefined) data[field] = inspection[field];
  if (inspection.errorDetails) data.errorDetails = inspection.errorDetails;
  return data;
}

export const testStateAction = defineAction({
  schema: TestStateSchema,
  async run(input, services: ApiServices) {
    if (input.mock?.result !== undefined && input.mock.errorOutput !== undefined)
      throw invalid('A test mock should have only one of the following fields: [result, errorOutput].');
    if (input.mock && input.revealSecrets)
      throw invalid('TestState does not support RevealSecrets when a mock is specified.');
    const target = resolveTestTarget(input.definition, input.stateName);
    const state = target.machine.states.get(target.stateName)!;
    checkForState(state, input);
    const stateInput = jsonField(input.input ?? '{}', 'input', 'InvalidExecutionInput');
    const variables = objectField(input.variables, 'variables') ?? {};
    const context = objectField(input.context, 'context');
    const mock = await mockOf(state, input);
    const configuration = input.stateConfiguration ?? {};
    const readerData =
      configuration.mapItemReaderData === undefined
        ? undefined
        : jsonField(configuration.mapItemReaderData, 'mapItemReaderData');
    if (readerData !== undefined && !Array.isArray(readerData))
      throw invalid('Invalid mapItemReaderData: it must be a JSON array');
    const { account } = services;
    const machineName = `TestState-${randomUUID()}`;
    const executionName = randomUUID();
    const result = await testState({
      ...target,
      input: stateInput,
      variables,
      ...(context ? { context } : {}),
      ...(mock ? { mock } : {}),
      ...(configuration.retrierRetryCount !== undefined
        ? { retrierRetryCount: configuration.retrierRetryCount }
        : {}),
      ...(configuration.mapIterationFailureCount !== undefined
        ? { mapIterationFailureCount: configuration.mapIterationFailureCount }
        : {}),
      ...(readerData ? { mapItemReaderData: readerData } : {}),
      execution: {
        executionArn: `arn:aws:states:${account.region}:${account.accountId}:express:${machineName}:${executionName}`,
        executionName,
        stateMachineArn: `arn:aws:states:${account.region}:${account.accountId}:stateMachine:${machineName}`,
        stateMachineName: machineName,
        roleArn: input.roleArn ?? '',
        startTime: services.clock.now().toISOString(),
        redriveCount: 0,
      },
      taskRunner: services.taskRunner,
      clock: services.clock,
      signal: new AbortController().signal,
    });
    return {
      status: result.status,
      ...(result.output !== undefined ? { output: jsonText(result.output) } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      ...(result.cause !== undefined ? { cause: result.cause } : {}),
      ...(result.nextState !== undefined ? { nextState: result.nextState } : {}),
      ...((input.inspectionLevel ?? 'INFO') !== 'INFO'
        ? { inspectionData: inspectionData(result.inspection) }
        : {}),
    };
  },
});
