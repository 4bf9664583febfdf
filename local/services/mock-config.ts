import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { StatesError } from '../engine/errors.ts';
import type { TaskRequest } from '../engine/ports.ts';

// Step Functions Local's MockConfigFile (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html).
const ResponseSchema = z.union([
  z.object({ Return: z.unknown() }).strict(),
  z.object({ Throw: z.object({ Error: z.string(), Cause: z.string().optional() }) }).strict(),
]);
const MockConfigSchema = z.object({
  StateMachines: z.record(
    z.string(),
    z.object({ TestCases: z.record(z.string(), z.record(z.string(), z.string())) }),
  ),
  MockedResponses: z.record(
    z.string(),
    z.record(z.string().regex(/^\d+(-\d+)?$/, 'keys are attempt numbers like "0" or "1-2"'), ResponseSchema),
  ),
});
export type MockConfig = z.infer<typeof MockConfigSchema>;

/** Parses and checks a mock config, naming what is wrong (and where) if it is not one. */
export function parseMockConfig(text: string, source = 'SFN_MOCK_CONFIG'): MockConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = MockConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const hint =
      issue.path.length === 3 && issue.path[0] === 'MockedResponses'
        ? ' (keys are attempt numbers like "0" or "1-2")'
        : '';
    throw new Error(`${source}: ${issue.path.join('.')}: ${issue.message}${hint}`);
  }
  for (const [machine, { TestCases }] of Object.entries(parsed.data.StateMachines)) {
    for (const [testCase, states] of Object.entries(TestCases)) {
      for (const response of Object.values(states)) {
        if (!parsed.data.MockedResponses[response]) {
          throw new Error(
            `${source}: StateMachines.${machine}.TestCases.${testCase} uses the unknown response '${response}'`,
          );
        }
      }
    }
  }
  return parsed.data;
}

export const loadMockConfig = (path: string): MockConfig => parseMockConfig(readFileSync(path, 'utf8'), path);

/** The name of the mocked response for the task's state in its execution's test case, if any. */
function responseNameOf(config: MockConfig, request: TaskRequest): string | undefined {
  const { testCase, stateMachineArn, stateName } = request.context;
  if (!testCase) return undefined;
  // A Map Run's children belong to `stateMachine:NAME/Label`: their states are NAME's, mocked
  // under NAME as the states of an inline Map are.
  const machine = stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1).split('/')[0]!;
  return config.StateMachines[machine]?.TestCases[testCase]?.[stateName];
}

/** Whether the task's execution runs a test case that mocks its state. */
export const isMocked = (config: MockConfig, request: TaskRequest): boolean =>
  responseNameOf(config, request) !== undefined;

/**
 * The mocked answer for a task, if its execution runs a test case that mocks its state: the
 * response whose key covers the attempt number (`"0"`, `"1-2"`), returned or thrown.
 * `{ mocked: false }` when the state is not mocked (the real integration runs).
 */
export function mockedAnswer(
  config: MockConfig,
  request: TaskRequest,
): { mocked: false } | { mocked: true; result: unknown } {
  const { attempt } = request.context;
  const responseName = responseNameOf(config, request);
  if (!responseName) return { mocked: false };
  const responses = config.MockedResponses[responseName]!;
  for (const [key, response] of Object.entries(responses)) {
    const [from, to = from] = key.split('-').map(Number) as [number, number?];
    if (attempt < from! || attempt > to!) continue;
    if ('Throw' in response) throw new StatesError(response.Throw.Error, response.Throw.Cause);
    return { mocked: true, result: response.Return };
  }
  throw new StatesError(
    'States.Runtime',
    `The mocked response '${responseName}' has no entry for attempt ${attempt}`,
  );
}
