import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { StatesError } from '../engine/errors.ts';
import type { TaskRequest, TaskRunner } from '../engine/ports.ts';
import type { FunctionLogs } from './function-logs.ts';
import { createIntegrations, type IntegrationClients } from './integrations.ts';
import { createLambdaRunner, type InvocationUsage, type LocalFunction } from './lambda-runner.ts';
import { isMocked, loadMockConfig, mockedAnswer, type MockConfig } from './mock-config.ts';

export interface TaskRunnerOptions {
  /** In-process Lambda handlers by function name. */
  lambdaHandlers?: Record<string, LocalFunction>;
  /** Step Functions Local's mock config, as a parsed object or a file path (SFN_MOCK_CONFIG). */
  mockConfig?: MockConfig;
  mockConfigPath?: string | undefined;
  /** SDK clients for the integrations; by default from the environment (AWS_ENDPOINT_URL…). */
  clients?: Partial<IntegrationClients> & { lambda?: LambdaClient };
  /** Where the invocations of functions run in environments leave their log lines. */
  functionLogs?: FunctionLogs;
  /** Hears every invocation of a local function (metering). */
  onInvoked?: (usage: InvocationUsage) => void;
}

const lambdaArn = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:/;

/**
 * The TaskRunner of the local cloud: mocked responses first (for executions started with a
 * `#TestCase`), then Lambda functions, then the AWS service integrations.
 */
export function createTaskRunner(options: TaskRunnerOptions = {}): TaskRunner {
  const mockConfig =
    options.mockConfig ?? (options.mockConfigPath ? loadMockConfig(options.mockConfigPath) : undefined);
  const lambda = createLambdaRunner({
    ...(options.lambdaHandlers ? { handlers: options.lambdaHandlers } : {}),
    ...(options.functionLogs ? { logs: options.functionLogs } : {}),
    ...(options.onInvoked ? { onInvoked: options.onInvoked } : {}),
    ...(options.clients?.lambda
      ? { client: options.clients.lambda }
      : process.env.AWS_ENDPOINT_URL
        ? { client: new LambdaClient({}) }
        : {}),
  });
  let integrations: ReturnType<typeof createIntegrations> | undefined;
  const integrationsOf = () =>
    (integrations ??= createIntegrations(
      {
        sqs: options.clients?.sqs ?? new SQSClient({}),
        sns: options.clients?.sns ?? new SNSClient({}),
        dynamodb: options.clients?.dynamodb ?? new DynamoDBClient({}),
        s3: options.clients?.s3 ?? new S3Client({ forcePathStyle: true }),
      },
      lambda,
    ));
  return {
    mocks: (request) => mockConfig !== undefined && isMocked(mockConfig, request),
    async run(request: TaskRequest): Promise<unknown> {
      if (mockConfig) {
        const answer = mockedAnswer(mockConfig, request);
        if (answer.mocked) return answer.result;
      }
      if (lambdaArn.test(request.resource))
        return (
          await lambda.invoke(request.resource, request.parameters, request.timeoutSeconds, request.context)
        ).payload;
      const integration = integrationsOf().find(request.resource);
      if (!integration)
        throw new StatesError(
          'States.Runtime',
          `The resource ${request.resource} is not supported by the local cloud`,
        );
      return integration(
        (request.parameters ?? {}) as Record<string, unknown>,
        request.timeoutSeconds,
        request.context,
      );
    },
  };
}
