import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Account } from '../api/arns.ts';
import type { TaskRunnerOptions } from '../services/task-runner.ts';

/**
 * Step Functions Local's settings, read from the environment as it reads them
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-config-options.html), so a
 * test setup written for it runs against `chute stepfunctions` unchanged.
 */
export interface StepFunctionsLocalSettings {
  account: Partial<Account>;
  waitTimeScale?: number;
  /** SDK clients for the integrations whose `*_ENDPOINT` is set; the others use AWS_ENDPOINT_URL. */
  clients: NonNullable<TaskRunnerOptions['clients']>;
  mockConfigPath?: string;
  /** Settings Step Functions Local knows that name nothing Chute calls, each with why. */
  unused: string[];
}

// Integrations Step Functions Local can point elsewhere that Chute does not serve.
const notServed = {
  BATCH_ENDPOINT: 'Chute has no AWS Batch integration',
  ECS_ENDPOINT: 'Chute has no Amazon ECS integration',
  GLUE_ENDPOINT: 'Chute has no AWS Glue integration',
  SAGE_MAKER_ENDPOINT: 'Chute has no SageMaker integration',
  STEP_FUNCTIONS_ENDPOINT: 'Chute calls no other Step Functions endpoint',
} as const;

export function readStepFunctionsLocalSettings(env: NodeJS.ProcessEnv): StepFunctionsLocalSettings {
  const region = env.AWS_DEFAULT_REGION || undefined;
  const sdkConfig = (endpoint: string) => ({
    endpoint,
    region: region ?? 'us-east-1',
    // Step Functions Local does not use your credentials on these endpoints; the SDK still signs.
    ...(env.AWS_ACCESS_KEY_ID ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });
  const clients: StepFunctionsLocalSettings['clients'] = {};
  if (env.LAMBDA_ENDPOINT) clients.lambda = new LambdaClient(sdkConfig(env.LAMBDA_ENDPOINT));
  if (env.SQS_ENDPOINT) clients.sqs = new SQSClient(sdkConfig(env.SQS_ENDPOINT));
  if (env.SNS_ENDPOINT) clients.sns = new SNSClient(sdkConfig(env.SNS_ENDPOINT));
  if (env.DYNAMODB_ENDPOINT) clients.dynamodb = new DynamoDBClient(sdkConfig(env.DYNAMODB_ENDPOINT));

  const waitTimeScale = env.WAIT_TIME_SCALE ? Number(env.WAIT_TIME_SCALE) : undefined;
  if (waitTimeScale !== undefined && !(waitTimeScale >= 0))
    throw new Error(`WAIT_TIME_SCALE must be a number of at least 0, not '${env.WAIT_TIME_SCALE}'`);
  if (env.AWS_ACCOUNT_ID && !/^\d{12}$/.test(env.AWS_ACCOUNT_ID))
    throw new Error(`AWS_ACCOUNT_ID must be 12 digits, not '${env.AWS_ACCOUNT_ID}'`);
  return {
    account: {
      ...(region ? { region } : {}),
      ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
    },
    ...(waitTimeScale !== undefined ? { waitTimeScale } : {}),
    clients,
    ...(env.SFN_MOCK_CONFIG ? { mockConfigPath: env.SFN_MOCK_CONFIG } : {}),
    unused: Object.entries(notServed)
      .filter(([name]) => env[name])
      .map(([name, why]) => `${name} is not used: ${why}`),
  };
}
