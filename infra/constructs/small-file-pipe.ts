import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Batching } from '../../workflow/batching.ts';
import { bufferMaxReceiveCount, bufferVisibilityTimeoutSeconds } from '../../workflow/buffer-queue.ts';
import { ResourceNames } from '../../workflow/resource-names.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface SmallFilePipeProps {
  stateMachine: sfn.IStateMachine;
}

/**
 * Where small files wait to share an execution: an SQS buffer queue (the upload rule's target)
 * and an EventBridge Pipe that reads it in batches of `Batching.filesPerExecution` or
 * `Batching.windowSeconds`, whichever comes first, and starts the state machine with each batch
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-sqs.html). A message the pipe
 * cannot deliver `bufferMaxReceiveCount` times goes to the buffer's own dead-letter queue.
 */
export class SmallFilePipe extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: DeadLetterQueue;
  readonly pipe: pipes.CfnPipe;

  constructor(scope: Construct, id: string, props: SmallFilePipeProps) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'Undelivered');
    this.queue = new sqs.Queue(this, 'Buffer', {
      queueName: ResourceNames.bufferQueue,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(bufferVisibilityTimeoutSeconds(Batching.windowSeconds)),
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: bufferMaxReceiveCount },
    });

    // Least privilege for a pipe from SQS to Step Functions
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-permissions.html).
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [this.queue.queueArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [props.stateMachine.stateMachineArn],
      }),
    );

    this.pipe = new pipes.CfnPipe(this, 'Pipe', {
      name: ResourceNames.pipe,
      roleArn: role.roleArn,
      source: this.queue.queueArn,
      sourceParameters: {
        sqsQueueParameters: {
          batchSize: Batching.filesPerExecution,
          maximumBatchingWindowInSeconds: Batching.windowSeconds,
        },
      },
      target: props.stateMachine.stateMachineArn,
      // StartExecution (a STANDARD machine cannot be started synchronously): the batch, as a JSON
      // array of SQS records, is the execution's input.
      targetParameters: { stepFunctionStateMachineParameters: { invocationType: 'FIRE_AND_FORGET' } },
    });
    // The pipe checks its role's permissions when it is created.
    this.pipe.node.addDependency(role);
  }
}
