import { TestStateCommand, type SFNClient, type TestStateCommandInput } from '@aws-sdk/client-sfn';

export interface TestStateResult {
  status: string | undefined;
  /** The state's output, parsed from JSON. */
  output: unknown;
  nextState: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  /** The inspection data, its JSON fields parsed (INFO, DEBUG or TRACE decides which are there). */
  inspectionData: Record<string, unknown> | undefined;
}

type JsonFields = 'definition' | 'input' | 'variables' | 'context';

/**
 * TestState with objects where the API takes JSON text (definition, input, variables, context,
 * a mock's result), answers parsed back. A definition with `stateName` is a whole machine.
 */
export async function testState(
  client: SFNClient,
  request: Omit<TestStateCommandInput, JsonFields | 'mock'> & {
    definition: object | string;
    input?: unknown;
    variables?: Record<string, unknown>;
    context?: object;
    mock?: {
      result?: unknown;
      errorOutput?: { error?: string; cause?: string };
      fieldValidationMode?: 'STRICT' | 'PRESENT' | 'NONE';
    };
  },
): Promise<TestStateResult> {
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const { definition, input, variables, context, mock, ...rest } = request;
  const answer = await client.send(
    new TestStateCommand({
      // AWS wants a role unless a mock answers the state; locally no role is ever assumed.
      roleArn: 'arn:aws:iam::000000000000:role/chute-testing',
      ...rest,
      definition: text(definition),
      input: JSON.stringify(input ?? {}),
      ...(variables ? { variables: JSON.stringify(variables) } : {}),
      ...(context ? { context: JSON.stringify(context) } : {}),
      ...(mock
        ? {
            mock: {
              ...(mock.result !== undefined ? { result: JSON.stringify(mock.result) } : {}),
              ...(mock.errorOutput ? { errorOutput: mock.errorOutput } : {}),
              ...(mock.fieldValidationMode ? { fieldValidationMode: mock.fieldValidationMode } : {}),
            },
          }
        : {}),
    }),
  );
  const parsed = (value: string | undefined) => (value === undefined ? undefined : JSON.parse(value));
  const inspection = answer.inspectionData as Record<string, unknown> | undefined;
  return {
    status: answer.status,
    output: parsed(answer.output),
    nextState: answer.nextState,
    error: answer.error,
    cause: answer.cause,
    inspectionData: inspection
      ? Object.fromEntries(
          Object.entries(inspection).map(([key, value]) => {
            if (typeof value !== 'string') return [key, value];
            try {
              return [key, JSON.parse(value)];
            } catch {
              return [key, value];
            }
          }),
        )
      : undefined,
  };
}
