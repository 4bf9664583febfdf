import { describe, expect, it } from '@jest/globals';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PipelineStateMachine } from '../../infra/constructs/pipeline-state-machine.ts';
import { readPipelineAsl } from '../../workflow/definition.ts';

/** The construct on imported resources: no bundling, so a synth takes milliseconds. */
function synth(asl?: string): void {
  const stack = new Stack(new App(), 'Machine', { env: { account: '123456789012', region: 'eu-west-1' } });
  const fn = (name: string) =>
    lambda.Function.fromFunctionArn(stack, name, `arn:aws:lambda:eu-west-1:123456789012:function:${name}`);
  new PipelineStateMachine(stack, 'Pipeline', {
    bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'chute'),
    ledger: dynamodb.Table.fromTableName(stack, 'Ledger', 'chute-files'),
    functions: {
      validate: fn('validate'),
      clean: fn('clean'),
      transform: fn('transform'),
      enrich: fn('enrich'),
      load: fn('load'),
      notify: fn('notify'),
      deadLetter: fn('deadLetter'),
    },
    ...(asl === undefined ? {} : { asl }),
  });
}

describe('PipelineStateMachine', () => {
  it('synthesizes asl/pipeline.asl.json', () => {
    expect(() => synth()).not.toThrow();
  });

  it('fails the synth, naming the placeholder, when the ASL has one it has no value for', () => {
    const asl = readPipelineAsl().replace('${NotifyFunctionArn}', '${ArchiveFunctionArn}');
    expect(() => synth(asl)).toThrow(/missing values for ArchiveFunctionArn/);
  });

  it('fails the synth when a value has no placeholder in the ASL', () => {
    const asl = readPipelineAsl().replaceAll('${NotifyFunctionArn}', 'arn:aws:lambda:eu-west-1:1:function:x');
    expect(() => synth(asl)).toThrow(/unused values NotifyFunctionArn/);
  });
});
