import { Duration, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Trigger } from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import {
  bigFileUploadedPattern,
  executionFailedPattern,
  smallFileUploadedPattern,
} from '../workflow/event-pattern.ts';
import { Prefixes, ResourceNames } from '../workflow/resource-names.ts';
import { Database } from './constructs/database.ts';
import { DeadLetterQueue } from './constructs/dead-letter-queue.ts';
import { FileLedger } from './constructs/file-ledger.ts';
import { IngestBucket } from './constructs/ingest-bucket.ts';
import { NotificationTopic } from './constructs/notification-topic.ts';
import { PipelineFunctions } from './constructs/pipeline-functions.ts';
import { PipelineStateMachine } from './constructs/pipeline-state-machine.ts';
import { SmallFilePipe } from './constructs/small-file-pipe.ts';

export interface PipelineStackProps extends StackProps {
  /** An existing database's Secrets Manager secret; without it the stack creates RDS PostgreSQL. */
  databaseSecretArn?: string;
}

/** Chute on AWS: composition only; each construct does one job. */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, props);
    const { bucket } = new IngestBucket(this, 'Files');
    const batches = new DeadLetterQueue(this, 'FailedBatches');
    const events_ = new DeadLetterQueue(this, 'UndeliveredEvents');
    const { topic } = new NotificationTopic(this, 'Notifications');
    const { table } = new FileLedger(this, 'Ledger');
    const database = new Database(this, 'Database', {
      ...(props.databaseSecretArn ? { existingSecretArn: props.databaseSecretArn } : {}),
    });

    const functions = new PipelineFunctions(this, 'Functions', {
      vpc: database.vpc,
      securityGroup: database.securityGroup,
      environment: {
        DB_SECRET_ARN: database.secret.secretArn,
        TOPIC_ARN: topic.topicArn,
        LEDGER_TABLE: table.tableName,
      },
      deadLetterQueue: batches.queue,
      payloadBucket: bucket,
    });
    for (const fn of [...Object.values(functions.stages), functions.failureNotifier, functions.migrator])
      database.secret.grantRead(fn);
    topic.grantPublish(functions.stages.notify);
    topic.grantPublish(functions.failureNotifier);
    table.grant(functions.failureNotifier, 'dynamodb:UpdateItem');
    // A batch execution's small files are read by validate itself, not by an ItemReader.
    functions.stages.validate.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${Prefixes.input}*`)],
      }),
    );
    // Send, and sweep the queue for an execution's letters: receive, delete, make visible again.
    batches.queue.grantSendMessages(functions.deadLetter);
    batches.queue.grantConsumeMessages(functions.deadLetter);
    functions.deadLetter.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [bucket.arnForObjects(`${Prefixes.deadLetters}*`)],
      }),
    );
    new Trigger(this, 'MigrateOnDeploy', {
      handler: functions.migrator,
      executeAfter: [database],
      timeout: Duration.minutes(5),
    });

    const { stateMachine } = new PipelineStateMachine(this, 'Pipeline', {
      bucket,
      ledger: table,
      functions: { ...functions.stages, deadLetter: functions.deadLetter },
    });

    // Big files start an execution each; small ones wait in the buffer queue for the pipe. An
    // upload event either target keeps refusing ends in the events' dead-letter queue.
    const uploadDelivery = {
      deadLetterQueue: events_.queue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(2),
    };
    new events.Rule(this, 'FileUploaded', {
      eventPattern: bigFileUploadedPattern(bucket.bucketName) as events.EventPattern,
      targets: [new targets.SfnStateMachine(stateMachine, uploadDelivery)],
    });
    const smallFiles = new SmallFilePipe(this, 'SmallFiles', { stateMachine });
    new events.Rule(this, 'SmallFileUploaded', {
      eventPattern: smallFileUploadedPattern(bucket.bucketName) as events.EventPattern,
      targets: [new targets.SqsQueue(smallFiles.queue, uploadDelivery)],
    });
    new events.Rule(this, 'ExecutionFailed', {
      eventPattern: executionFailedPattern(stateMachine.stateMachineArn) as events.EventPattern,
      targets: [
        new targets.LambdaFunction(functions.failureNotifier, {
          deadLetterQueue: events_.queue,
          retryAttempts: 8,
        }),
      ],
    });

    const alarms = [
      batches.alarm,
      events_.alarm,
      smallFiles.deadLetters.alarm,
      new cloudwatch.Alarm(this, 'FailedExecutions', {
        metric: stateMachine.metricFailed({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: 'A pipeline execution failed: see chute-notifications and redrive it',
      }),
      ...Object.entries(functions.stages).flatMap(([stage, fn]) => [
        new cloudwatch.Alarm(this, `${stage}Errors`, {
          metric: fn.metricErrors({ period: Duration.minutes(5) }),
          threshold: 1,
          evaluationPeriods: 1,
        }),
        new cloudwatch.Alarm(this, `${stage}Throttles`, {
          metric: fn.metricThrottles({ period: Duration.minutes(5) }),
          threshold: 1,
          evaluationPeriods: 1,
        }),
      ]),
    ];
    new cloudwatch.Dashboard(this, 'Dashboard', {
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ alarms, title: 'Alarms', width: 24 })],
        [
          new cloudwatch.GraphWidget({
            title: 'Executions',
            left: [stateMachine.metricSucceeded(), stateMachine.metricFailed()],
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead letters',
            left: [batches.queue.metricApproximateNumberOfMessagesVisible()],
          }),
        ],
      ],
    });

    acknowledgeFindings(this, bucket, [batches, events_, smallFiles.deadLetters]);
    Validations.of(functions).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime this project builds, tests and emulates (DESIGN.md); moving to a newer one is a deliberate upgrade.',
    });
  }
}

/** How cdk-nag prints a value: itself when known at synth, `<AWS::AccountId>` when a token. */
const cfnText = (value: string, pseudo: string): string =>
  Token.isUnresolved(value) ? `<${pseudo}>` : value;

/** cdk-nag findings this design accepts, each with its reason. */
function acknowledgeFindings(stack: Stack, bucket: s3.Bucket, deadLetterQueues: DeadLetterQueue[]): void {
  const v = Validations.of(stack);
  const ack = (id: string, reason: string) => v.acknowledge({ id, reason });
  for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) {
    ack(
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
      'The AWS-managed minimum for a Lambda function writing logs from a VPC.',
    );
  }
  ack(
    'AwsSolutions-IAM5[Resource::*]',
    'X-Ray tracing, Lambda-in-VPC network interfaces and Step Functions log delivery only accept Resource "*".',
  );
  ack(
    'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    "CDK's grantPublish on a KMS-encrypted topic: the key is this topic's own key.",
  );
  const bucketArn = `<${stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
  ack(
    `AwsSolutions-IAM5[Resource::${bucketArn}/input/*]`,
    'The state machine and validate (the small files of a batch) read any uploaded file, and only under input/.',
  );
  ack(
    `AwsSolutions-IAM5[Resource::${bucketArn}/dead-letters/*]`,
    'The dead-letter function keeps dead letters over the queue size limit, and only under dead-letters/.',
  );
  ack(
    `AwsSolutions-IAM5[Resource::${bucketArn}/results/*]`,
    'The Distributed Map writes its result files, and only under results/.',
  );
  ack(
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${cfnText(stack.region, 'AWS::Region')}:${cfnText(stack.account, 'AWS::AccountId')}:execution:${ResourceNames.stateMachine}/*]`,
    'The Distributed Map describes and stops its own child executions, which are named after this state machine.',
  );
  ack(
    'AwsSolutions-EC23',
    "The only inbound rules are the VPC endpoints' HTTPS from inside the VPC and PostgreSQL from the functions security group.",
  );
  for (const { queue } of deadLetterQueues) {
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue.',
    });
  }
}
