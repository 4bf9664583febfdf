import { beforeAll, describe, expect, it } from '@jest/globals';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PipelineStack } from '../../infra/pipeline-stack.ts';
import { placeholdersOf } from '../../workflow/definition.ts';
import { Batching } from '../../workflow/batching.ts';
import { bufferMaxReceiveCount, bufferVisibilityTimeoutSeconds } from '../../workflow/buffer-queue.ts';
import { ResourceNames } from '../../workflow/resource-names.ts';

let template: Template;
beforeAll(() => {
  const app = new App();
  const stack = new PipelineStack(app, 'Chute', { env: { account: '123456789012', region: 'eu-west-1' } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // The synth fails on any cdk-nag finding left unacknowledged.
  template = Template.fromStack(stack);
}, 120_000);

type Statement = { Action: string | string[]; Resource: unknown };
const statementsOf = (roleFilter: (logicalId: string) => boolean): Statement[] =>
  Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => roleFilter(id))
    .flatMap(
      ([, policy]) =>
        (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );

describe('the Chute stack', () => {
  const uploadPattern = (size: unknown) => ({
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: {
      bucket: { name: [Match.anyValue()] },
      object: {
        key: [{ wildcard: 'input/*.csv' }, { wildcard: 'input/*.json' }, { wildcard: 'input/*.jsonl' }],
        size,
      },
    },
  });

  it('starts the state machine on Object Created of a big file under input/ with the suffixes of workflow/', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: uploadPattern([{ numeric: ['>', Batching.smallFileMaxBytes] }]),
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('PipelineStateMachine') },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
  });

  it('sends small files to the buffer queue, which EventBridge is allowed to send to', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: uploadPattern([{ numeric: ['<=', Batching.smallFileMaxBytes] }]),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SmallFilesBuffer'), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('SmallFilesBuffer') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('buffers small files in an encrypted, TLS-only queue with its own dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: ResourceNames.bufferQueue,
      SqsManagedSseEnabled: true,
      VisibilityTimeout: bufferVisibilityTimeoutSeconds(Batching.windowSeconds),
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SmallFilesUndelivered'), 'Arn'] },
        maxReceiveCount: bufferMaxReceiveCount,
      },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('SmallFilesBuffer') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('pipes the buffer to the state machine in batches, fire and forget, with a least-privilege role', () => {
    template.hasResourceProperties('AWS::Pipes::Pipe', {
      Source: { 'Fn::GetAtt': [Match.stringLikeRegexp('SmallFilesBuffer'), 'Arn'] },
      SourceParameters: {
        SqsQueueParameters: {
          BatchSize: Batching.filesPerExecution,
          MaximumBatchingWindowInSeconds: Batching.windowSeconds,
        },
      },
      Target: { Ref: Match.stringLikeRegexp('PipelineStateMachine') },
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: 'FIRE_AND_FORGET' } },
    });
    const statements = statementsOf((id) => id.startsWith('SmallFilesRole'));
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SmallFilesBuffer/), 'Arn'] },
      }),
      expect.objectContaining({
        Action: 'states:StartExecution',
        Resource: { Ref: expect.stringMatching(/^PipelineStateMachine/) },
      }),
    ]);
  });

  it('deploys the ASL with a Distributed Map and a value for every placeholder', () => {
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as {
      Properties: {
        DefinitionString: string;
        DefinitionSubstitutions: Record<string, unknown>;
        StateMachineType: string;
        TracingConfiguration: unknown;
        LoggingConfiguration: { Level: string; IncludeExecutionData: boolean };
      };
    }[];
    const definition = machine!.Properties.DefinitionString;
    expect(definition).toContain('"Mode": "DISTRIBUTED"');
    expect(definition).toContain('"ExecutionType": "EXPRESS"');
    expect(definition).not.toContain('"ExecutionType": "STANDARD"');
    expect(definition).toContain("$dataset in ['orders']");
    expect(placeholdersOf(definition).sort()).toEqual(
      Object.keys(machine!.Properties.DefinitionSubstitutions).sort(),
    );
    expect(machine!.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] } },
          },
        ],
      },
    });
  });

  it('gives the state machine only what its ASL uses', () => {
    const statements = statementsOf((id) => id.startsWith('PipelineRole'));
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toEqual(
      expect.arrayContaining([
        'lambda:InvokeFunction',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        's3:GetObject',
        's3:PutObject',
        'states:StartExecution',
        'states:DescribeExecution',
        'states:StopExecution',
      ]),
    );
    // The Map's EXPRESS children, first runs and redrives alike, are started on this very machine
    // (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html).
    const start = statements.find((s) => s.Action === 'states:StartExecution')!;
    expect(JSON.stringify(start.Resource)).toContain(`:stateMachine:${ResourceNames.stateMachine}"`);
    // Dead letters go through the dead-letter function, not sqs:sendMessage.
    expect(actions).not.toContain('sqs:SendMessage');
    const invoke = statements.find((s) => s.Action === 'lambda:InvokeFunction')!;
    expect(invoke.Resource).toHaveLength(7);
    expect(JSON.stringify(invoke.Resource)).not.toContain('"*"');
    for (const s of statements.filter((s) => s.Resource === '*')) {
      // Only X-Ray and log delivery, which accept nothing but "*".
      for (const action of Array.isArray(s.Action) ? s.Action : [s.Action])
        expect(action).toMatch(/^(xray|logs):/);
    }
  });

  it('lets the dead-letter function send, sweep and offload to S3 under dead-letters/ only', () => {
    const [deadLetter] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, fn]) =>
      JSON.stringify(fn).includes('chute-deadletter'),
    );
    expect(deadLetter).toBeDefined();
    const env = (deadLetter![1] as { Properties: { Environment: { Variables: Record<string, unknown> } } })
      .Properties.Environment.Variables;
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['DEAD_LETTER_QUEUE_URL', 'PAYLOAD_BUCKET']));
    const statements = statementsOf((id) => id.startsWith('FunctionsDeadLetterServiceRole'));
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toEqual(
      expect.arrayContaining([
        'sqs:SendMessage',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueAttributes',
        's3:PutObject',
        's3:DeleteObject',
      ]),
    );
    const s3 = statements.find((s) => JSON.stringify(s.Action).includes('s3:PutObject'))!;
    expect(JSON.stringify(s3.Resource)).toContain('/dead-letters/*');
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'dead-letters/', ExpirationInDays: 15 })]),
      },
    });
  });

  it('keeps dead letters 14 days, encrypted, with an alarm', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed' });
  });

  it('runs the functions on Node.js 22, arm64, with reserved concurrency, in the VPC', () => {
    // Ours, not CDK's helpers (bucket notifications, secret rotation, triggers): they carry Powertools settings.
    const functions = (
      Object.values(template.findResources('AWS::Lambda::Function')) as {
        Properties: {
          Runtime: string;
          Architectures: string[];
          ReservedConcurrentExecutions?: number;
          VpcConfig?: unknown;
        };
      }[]
    ).filter((fn) => JSON.stringify(fn).includes('POWERTOOLS_SERVICE_NAME'));
    expect(functions.length).toBeGreaterThanOrEqual(9);
    for (const fn of functions) {
      // The dead-letter function reaches SQS and S3 only, not PostgreSQL: outside the VPC.
      const inVpc = !JSON.stringify(fn).includes('chute-deadletter');
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        ...(inVpc ? { VpcConfig: expect.anything() } : {}),
      });
      if (!inVpc) expect(fn.Properties.VpcConfig).toBeUndefined();
      expect(fn.Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
    }
  });

  it('encrypts and locks the bucket, the topic and the ledger', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: Match.objectLike({ EventBridgeConfiguration: {} }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
      LoggingConfiguration: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', { StorageEncrypted: true, Engine: 'postgres' });
  });
});
