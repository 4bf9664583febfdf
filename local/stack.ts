import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  type LoggingConfiguration,
  StartExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import pg from 'pg';
import { migrate } from '../functions/shared/migrate.ts';
import { pipelineDefinition } from '../workflow/definition.ts';
import { Batching } from '../workflow/batching.ts';
import { bufferMaxReceiveCount, bufferVisibilityTimeoutSeconds } from '../workflow/buffer-queue.ts';
import {
  bigFileUploadedPattern,
  executionFailedPattern,
  fileUploadedPattern,
  smallFileUploadedPattern,
} from '../workflow/event-pattern.ts';
import {
  PipelineLambdas,
  ResourceNames,
  functionArnValues,
  functionKeys,
} from '../workflow/resource-names.ts';
import { pipelineViewSources } from './console/pipeline-sources.ts';
import { servePipelineViews } from './console/pipeline-views.ts';
import type { LocalCloud } from './services/cloud.ts';
import { announceInterruptedExecutions } from './services/interrupted-executions.ts';
import { LambdaEnvironments } from './services/lambda-environments.ts';
import { createLambdaRunner, type InvocationUsage } from './services/lambda-runner.ts';
import { startEmbeddedPostgres } from './services/postgres.ts';

export interface DeployedPipeline {
  bucket: string;
  stateMachineArn: string;
  deadLetterQueueUrl: string;
  topicArn: string;
  /** An SQS queue subscribed to the topic: what `chute notifications` reads. */
  notificationsQueueUrl: string;
  /** Where small files wait for the pipe (S3 → EventBridge → SQS → Pipes → Step Functions). */
  bufferQueue: { url: string; arn: string };
  /** How small files are batched, or `false` when every upload starts its own execution. */
  batching: { filesPerExecution: number; windowSeconds: number } | false;
  ledgerTable: string;
  databaseUrl: string;
  /** Where the database came from, for people: `embedded PostgreSQL 17 in .chute/postgres` or DATABASE_URL. */
  database: string;
  close(): Promise<void>;
}

const FAILURE_FUNCTION = 'chute-notify-failure';

// Batch executions the local pipe keeps running at once (each holds up to 100 files' rows while it
// runs); the machine's one Lambda environment per function is busy with two already.
const BATCHES_IN_FLIGHT = 2;

// Whether the person asked to see the functions' log lines on this process's output.
const requestedLogLevel = process.env.POWERTOOLS_LOG_LEVEL;

const functionArn = (cloud: LocalCloud, name: string) =>
  `arn:aws:lambda:${cloud.account.region}:${cloud.account.accountId}:function:${name}`;

async function ignoreExists<T>(
  create: () => Promise<T>,
  exists: (error: unknown) => boolean,
): Promise<T | undefined> {
  try {
    return await create();
  } catch (error) {
    if (exists(error)) return undefined;
    throw error;
  }
}

/**
 * The small-file buffer queue with its dead-letter queue: a message the pipe could not deliver
 * `bufferMaxReceiveCount` times goes there, as SQS's redrive policy does.
 */
async function createBufferQueue(cloud: LocalCloud, windowSeconds: number) {
  const { sqs } = cloud.clients;
  const { QueueUrl: deadLetterUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: ResourceNames.bufferDeadLetterQueue,
      Attributes: { MessageRetentionPeriod: '1209600' },
    }),
  );
  const deadLetter = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }),
  );
  // Created bare, then set: a data dir deployed with another window gets this one's timeout
  // (CreateQueue refuses a name that exists with other attributes).
  const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: ResourceNames.bufferQueue }));
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: url,
      Attributes: {
        VisibilityTimeout: String(bufferVisibilityTimeoutSeconds(windowSeconds)),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetter.Attributes!.QueueArn,
          maxReceiveCount: bufferMaxReceiveCount,
        }),
      },
    }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url: url!, arn: Attributes!.QueueArn! };
}

/**
 * Deploys the pipeline into a running local cloud, as the CDK stack does on AWS: the bucket,
 * dead-letter queue, topic, ledger table, the functions (the same handlers, in Lambda
 * environments of their own), the state machine from asl/, the upload rule and the failure rule,
 * and PostgreSQL (`databaseUrl`, else embedded under the data dir), migrated. Safe to run again on
 * the same data dir. The functions get their configuration as Lambda functions do, as their
 * environment's variables; this process's environment is left as it was.
 */
/** How uploads reach the state machine. */
export interface UploadRouting {
  /**
   * Small files through the buffer queue and the pipe, with its batch size and window (default
   * from workflow/batching.ts); `false`: every upload starts its own execution.
   */
  batching?: { filesPerExecution: number; windowSeconds: number } | false;
  /** `false`: no upload rule at all; whoever uploads starts the executions (`chute run`). */
  startOnUpload?: boolean;
}

export async function deployPipeline(
  cloud: LocalCloud,
  options: { dataDir: string; bucket?: string; databaseUrl?: string } & UploadRouting,
): Promise<DeployedPipeline> {
  const { s3, sqs, sns, dynamodb, sfn } = cloud.clients;
  const bucket = options.bucket ?? ResourceNames.bucket;

  let databaseUrl = options.databaseUrl;
  let database = 'DATABASE_URL';
  let stopDatabase = async () => {};
  if (!databaseUrl) {
    const dir = join(options.dataDir, 'postgres');
    const embedded = await startEmbeddedPostgres({ dataDir: dir });
    databaseUrl = embedded.url;
    stopDatabase = embedded.stop;
    database = `embedded PostgreSQL in ${dir}`;
  }
  await migrate(databaseUrl);

  await ignoreExists(
    () => s3.send(new CreateBucketCommand({ Bucket: bucket })),
    (e) => /BucketAlready/.test((e as Error).name),
  );
  const { QueueUrl: deadLetterQueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: ResourceNames.deadLetterQueue,
      Attributes: { MessageRetentionPeriod: '1209600' },
    }),
  );
  const batching = options.batching ?? {
    filesPerExecution: Batching.filesPerExecution,
    windowSeconds: Batching.windowSeconds,
  };
  const bufferQueue = await createBufferQueue(
    cloud,
    batching ? batching.windowSeconds : Batching.windowSeconds,
  );
  const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: ResourceNames.topic }));
  const { QueueUrl: notificationsQueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${ResourceNames.topic}-inbox` }),
  );
  const inbox = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: notificationsQueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: inbox.Attributes!.QueueArn!,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  await ignoreExists(
    () =>
      dynamodb.send(
        new CreateTableCommand({
          TableName: ResourceNames.ledgerTable,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
    (e) => e instanceof ResourceInUseException || (e as Error).name === 'ResourceInUseException',
  );

  // The functions read their configuration and AWS endpoint from their environment, as on Lambda:
  // this process's (PATH, POWERTOOLS_LOG_LEVEL, DB_POOL_SIZE…) with this cloud's on top.
  const functionEnvironment = {
    ...process.env,
    AWS_ENDPOINT_URL: cloud.url,
    AWS_REGION: cloud.account.region,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    DATABASE_URL: databaseUrl,
    TOPIC_ARN: topicArn,
    LEDGER_TABLE: ResourceNames.ledgerTable,
    DEAD_LETTER_QUEUE_URL: deadLetterQueueUrl,
    PAYLOAD_BUCKET: bucket,
  };
  // The functions run in worker threads, as Lambda runs them in environments of their own. They
  // log at INFO, as on AWS, into the local CloudWatch Logs (the console shows them); the lines
  // reach this process's output too when POWERTOOLS_LOG_LEVEL asked for them.
  const environments = new LambdaEnvironments({
    env: { ...functionEnvironment, POWERTOOLS_LOG_LEVEL: requestedLogLevel ?? 'INFO' },
    echoLogs: requestedLogLevel !== undefined,
  });
  for (const key of functionKeys) {
    cloud.functions[PipelineLambdas[key].name] = environments.function(
      new URL(`../functions/${PipelineLambdas[key].folder}/handler.ts`, import.meta.url),
    );
  }
  cloud.functions[FAILURE_FUNCTION] = environments.function(
    new URL('../functions/notify/failure-handler.ts', import.meta.url),
  );
  // The failure rule's target invokes that function, as an EventBridge rule targets a Lambda.
  const meter = cloud.meter;
  const lambda = createLambdaRunner({
    handlers: cloud.functions,
    region: cloud.account.region,
    ...(meter ? { onInvoked: (usage: InvocationUsage) => meter.lambdaInvoked(usage) } : {}),
  });

  const definition = pipelineDefinition({
    BucketName: bucket,
    LedgerTable: ResourceNames.ledgerTable,
    ...functionArnValues((key) => functionArn(cloud, PipelineLambdas[key].name)),
  });
  const roleArn = `arn:aws:iam::${cloud.account.accountId}:role/chute-pipeline`;
  const stateMachineArn = `arn:aws:states:${cloud.account.region}:${cloud.account.accountId}:stateMachine:${ResourceNames.stateMachine}`;
  // Failures only, without execution data, as the stack logs them: the EXPRESS children's errors
  // are there, their batches are not.
  const loggingConfiguration: LoggingConfiguration = {
    level: 'ERROR',
    includeExecutionData: false,
    destinations: [
      {
        cloudWatchLogsLogGroup: {
          logGroupArn: `arn:aws:logs:${cloud.account.region}:${cloud.account.accountId}:log-group:${ResourceNames.stateMachineLogGroup}:*`,
        },
      },
    ],
  };
  const existing = await sfn
    .send(new DescribeStateMachineCommand({ stateMachineArn }))
    .catch(() => undefined);
  if (!existing)
    await sfn.send(
      new CreateStateMachineCommand({
        name: ResourceNames.stateMachine,
        definition,
        roleArn,
        loggingConfiguration,
      }),
    );
  else if (
    existing.definition !== definition ||
    JSON.stringify(existing.loggingConfiguration) !== JSON.stringify(loggingConfiguration)
  )
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition, loggingConfiguration }));

  if (options.startOnUpload !== false) {
    cloud.bus.putRule({
      name: ResourceNames.rule,
      pattern: batching ? bigFileUploadedPattern(bucket) : fileUploadedPattern(bucket),
      target: async (event) => {
        await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(event) }));
      },
    });
  }
  if (batching && options.startOnUpload !== false) {
    // EventBridge's SQS target sends the event itself, as JSON, as the message body.
    cloud.bus.putRule({
      name: ResourceNames.smallFileRule,
      pattern: smallFileUploadedPattern(bucket),
      target: async (event) => {
        await sqs.send(
          new SendMessageCommand({ QueueUrl: bufferQueue.url, MessageBody: JSON.stringify(event) }),
        );
      },
    });
    const batchesRunning = new Set<string>();
    await cloud.pipes.create({
      name: ResourceNames.pipe,
      source: {
        sqs,
        queueUrl: bufferQueue.url,
        queueArn: bufferQueue.arn,
        region: cloud.account.region,
        batchSize: batching.filesPerExecution,
        maximumBatchingWindowInSeconds: batching.windowSeconds,
      },
      // The Step Functions target, FIRE_AND_FORGET: StartExecution with the batch as the input.
      target: async (records) => {
        const input = JSON.stringify(records);
        // Pipes bills each 64 KB chunk of what it passes to its target.
        cloud.meter?.pipeEvent(Buffer.byteLength(input));
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
        batchesRunning.add(executionArn!);
      },
      // A burst of uploads waits in the queue (on disk), not as executions holding their files' rows
      // in memory: at most BATCHES_IN_FLIGHT batch executions run at once.
      ready: async (signal) => {
        while (batchesRunning.size >= BATCHES_IN_FLIGHT && !signal.aborted) {
          for (const executionArn of batchesRunning) {
            const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }), {
              abortSignal: signal,
            });
            if (status !== 'RUNNING') batchesRunning.delete(executionArn);
          }
          if (batchesRunning.size >= BATCHES_IN_FLIGHT) await sleep(200, undefined, { signal });
        }
      },
    });
  }
  cloud.bus.putRule({
    name: ResourceNames.failureRule,
    pattern: executionFailedPattern(stateMachineArn),
    target: async (event) => {
      await lambda.invoke(FAILURE_FUNCTION, event);
    },
  });
  // Executions a crash ended (failed by the API at start, before this rule existed): the ledger follows.
  await announceInterruptedExecutions({
    clients: cloud.clients,
    bus: cloud.bus,
    ledgerTable: ResourceNames.ledgerTable,
    stateMachineArn,
    account: cloud.account,
  });

  // The console's views of the pipeline, on a pool of their own that a stopped database cannot
  // crash: an idle connection that breaks is dropped, and the next query says why.
  const viewsDb = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 5000 });
  viewsDb.on('error', () => {});
  cloud.pipelineViews = servePipelineViews(
    pipelineViewSources({
      clients: cloud.clients,
      ledgerTable: ResourceNames.ledgerTable,
      deadLetterQueueUrl: deadLetterQueueUrl!,
      db: viewsDb,
      functionLogs: cloud.functionLogs,
    }),
  );

  return {
    bucket,
    stateMachineArn,
    deadLetterQueueUrl: deadLetterQueueUrl!,
    topicArn: topicArn!,
    notificationsQueueUrl: notificationsQueueUrl!,
    bufferQueue,
    batching: options.startOnUpload === false ? false : batching,
    ledgerTable: ResourceNames.ledgerTable,
    databaseUrl,
    database,
    async close() {
      await cloud.pipes.delete(ResourceNames.pipe);
      cloud.pipelineViews = undefined;
      await viewsDb.end();
      await environments.close();
      await stopDatabase();
    },
  };
}
