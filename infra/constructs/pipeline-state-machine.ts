import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { datasetSubstitutions, readPipelineAsl, substitute } from '../../workflow/definition.ts';
import {
  Prefixes,
  ResourceNames,
  functionArnValues,
  type FunctionKey,
} from '../../workflow/resource-names.ts';

export interface PipelineStateMachineProps {
  bucket: s3.IBucket;
  ledger: dynamodb.ITable;
  /** The stage Lambdas and the dead-letter function the item processor's Catch invokes. */
  functions: Record<FunctionKey, lambda.IFunction>;
  /** The ASL text with its placeholders; asl/pipeline.asl.json unless given (tests give their own). */
  asl?: string;
}

/** The ASL's placeholders and the values the construct gives for them disagree. */
export class PlaceholderMismatchError extends Error {
  override readonly name = 'PlaceholderMismatchError';
}

/**
 * The state machine from asl/pipeline.asl.json, inlined: the dataset lists are filled in here,
 * the resource placeholders become CloudFormation DefinitionSubstitutions. STANDARD, logging ERROR,
 * X-Ray, and a role with exactly what the ASL uses.
 */
export class PipelineStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    const asl = props.asl ?? readPipelineAsl();
    const datasets = datasetSubstitutions();
    const withDatasets = asl.replace(
      /\$\{(CsvDatasets|JsonDatasets|JsonlDatasets)\}/g,
      (_, name: string) => datasets[name]!,
    );
    const substitutions: Record<string, string> = {
      BucketName: props.bucket.bucketName,
      LedgerTable: props.ledger.tableName,
      ...functionArnValues((key) => props.functions[key].functionArn),
    };
    // Fails the synth if the ASL and this list disagree (a missing or unused placeholder): the
    // substituted text is thrown away, CloudFormation does the real substitution at deploy time.
    try {
      substitute(withDatasets, substitutions);
    } catch (error) {
      throw new PlaceholderMismatchError(
        `${id}: the ASL and its substitutions disagree: ${(error as Error).message}`,
      );
    }

    const stack = Stack.of(this);
    const name = ResourceNames.stateMachine;
    // Built from the name, not the resource: the role must exist before the state machine.
    const selfArn = Arn.format(
      {
        service: 'states',
        resource: 'stateMachine',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      stack,
    );
    const childExecutions = Arn.format(
      {
        service: 'states',
        resource: 'execution',
        resourceName: `${name}/*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      stack,
    );
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(props.functions).map((f) => f.functionArn),
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.bucket.arnForObjects(`${Prefixes.input}*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [props.bucket.arnForObjects(`${Prefixes.results}*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [props.ledger.tableArn],
      }),
    );
    // The Distributed Map starts its EXPRESS children on this same state machine, and a redrive
    // starts the failed ones anew the same way
    // (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html).
    role.addToPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [selfArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [childExecutions],
      }),
    );

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(withDatasets),
      definitionSubstitutions: substitutions,
      role,
      tracingEnabled: true,
      // ERROR without execution data: the EXPRESS children keep no history and log here, one
      // group for the machine and its Map Run children; ALL with data would write every batch's
      // rows to CloudWatch Logs, billed per GB ingested.
      logs: {
        destination: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS }),
        level: sfn.LogLevel.ERROR,
        includeExecutionData: false,
      },
    });
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Errors only, without execution data: the EXPRESS children log here too, and ALL with data is billed per GB of rows.',
    });
  }
}
