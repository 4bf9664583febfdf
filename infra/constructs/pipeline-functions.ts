import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import {
  PipelineLambdaConfig,
  PipelineLambdas,
  functionKeys,
  type FunctionKey,
} from '../../workflow/resource-names.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** The functions the state machine invokes that share one configuration (the dead-letter one has its own). */
export type Stage = Exclude<FunctionKey, 'deadLetter'>;
const stages = functionKeys.filter((key): key is Stage => key !== 'deadLetter');

export interface PipelineFunctionsProps {
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  environment: Record<string, string>;
  /** Where the dead-letter function sends failed batches… */
  deadLetterQueue: sqs.IQueue;
  /** …and keeps those over the queue's size limit (under dead-letters/). */
  payloadBucket: s3.IBucket;
}

/** The stage Lambdas, bundled by local esbuild (no Docker): Node 22, arm64, in the VPC, Powertools logging. */
export class PipelineFunctions extends Construct {
  readonly stages: Record<Stage, NodejsFunction>;
  readonly failureNotifier: NodejsFunction;
  readonly migrator: NodejsFunction;
  readonly deadLetter: NodejsFunction;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const make = (
      name: string,
      entry: string,
      extra: {
        reservedConcurrentExecutions?: number;
        timeout?: Duration;
        withMigrations?: boolean;
        /** Only functions that reach PostgreSQL run in its VPC. */
        outsideVpc?: boolean;
        environment?: Record<string, string>;
      } = {},
    ) =>
      new NodejsFunction(this, name, {
        entry: `${root}${entry}`,
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture:
          PipelineLambdaConfig.architecture === 'arm64'
            ? lambda.Architecture.ARM_64
            : lambda.Architecture.X86_64,
        memorySize: PipelineLambdaConfig.memoryMb,
        timeout: extra.timeout ?? Duration.seconds(60),
        ...(extra.reservedConcurrentExecutions !== undefined
          ? { reservedConcurrentExecutions: extra.reservedConcurrentExecutions }
          : {}),
        ...(extra.outsideVpc
          ? {}
          : {
              vpc: props.vpc,
              vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
              securityGroups: [props.securityGroup],
            }),
        tracing: lambda.Tracing.ACTIVE,
        logGroup: new logs.LogGroup(this, `${name}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
        environment: {
          ...props.environment,
          ...extra.environment,
          POWERTOOLS_SERVICE_NAME: `chute-${name.toLowerCase()}`,
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
        bundling: {
          forceDockerBundling: false,
          format: OutputFormat.ESM,
          target: 'node22',
          minify: true,
          sourceMap: true,
          // ESM bundles need `require` for the CommonJS dependencies they inline.
          banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
          externalModules: ['pg-native', '@aws-sdk/*'],
          // esbuild's size table and timing after every bundle would fill `cdk synth --quiet`;
          // its errors still show. (The "Bundling asset …" line before each is aws-cdk-lib's own,
          // on stderr, with no option to silence it: https://github.com/aws/aws-cdk/issues/23092.)
          logLevel: LogLevel.ERROR,
          // The migration function ships the SQL files next to its bundle.
          ...(extra.withMigrations
            ? {
                commandHooks: {
                  beforeBundling: () => [],
                  beforeInstall: () => [],
                  afterBundling: (_input: string, output: string) => [
                    `cp -r ${root}migrations ${output}/migrations`,
                  ],
                },
              }
            : {}),
        },
      });
    const concurrency: Record<Stage, number> = {
      validate: 50,
      clean: 50,
      transform: 50,
      enrich: 20,
      load: 20,
      notify: 5,
    };
    this.stages = Object.fromEntries(
      stages.map((stage) => [
        stage,
        make(
          stage[0]!.toUpperCase() + stage.slice(1),
          `functions/${PipelineLambdas[stage].folder}/handler.ts`,
          {
            reservedConcurrentExecutions: concurrency[stage],
          },
        ),
      ]),
    ) as Record<Stage, NodejsFunction>;
    this.failureNotifier = make('NotifyFailure', 'functions/notify/failure-handler.ts', {
      reservedConcurrentExecutions: 5,
    });
    // SQS and S3 only, no database: outside the VPC, so it needs no SQS or S3 endpoint there.
    this.deadLetter = make('DeadLetter', `functions/${PipelineLambdas.deadLetter.folder}/handler.ts`, {
      reservedConcurrentExecutions: 5,
      // A sweep of the queue waits at most a minute for messages another reader holds.
      timeout: Duration.seconds(90),
      outsideVpc: true,
      environment: {
        DEAD_LETTER_QUEUE_URL: props.deadLetterQueue.queueUrl,
        PAYLOAD_BUCKET: props.payloadBucket.bucketName,
      },
    });
    this.migrator = make('Migrate', 'functions/migrate/handler.ts', {
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 1,
      withMigrations: true,
    });
  }
}
