import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { runExecution, startCloud } from 'chute/testing';

// A test setup written for Step Functions Local: its settings in the environment, as
// https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-config-options.html lists them.
const chute = fileURLToPath(new URL('../../../bin/chute.js', import.meta.url));

interface Invocation {
  path: string;
  body: unknown;
}

/** A Lambda endpoint that speaks Invoke (POST /2015-03-31/functions/NAME/invocations) and records each call. */
function startLambdaEndpoint(): Promise<{ server: Server; url: string; invocations: Invocation[] }> {
  const invocations: Invocation[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as { n: number };
      invocations.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
      res.end(JSON.stringify({ doubled: body.n * 2 }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, invocations }),
    ),
  );
}

let lambda: Awaited<ReturnType<typeof startLambdaEndpoint>>;
// The local cloud stands in for the DynamoDB, SQS and SNS a Step Functions Local setup points at.
let cloud: Awaited<ReturnType<typeof startCloud>>;
let data: string;
let child: ChildProcessWithoutNullStreams;
let sfn: SFNClient;
let stdout = '';

beforeAll(async () => {
  lambda = await startLambdaEndpoint();
  cloud = await startCloud();
  data = await mkdtemp(join(tmpdir(), 'chute-sfn-local-'));
  // Nothing reaches the cloud but through the settings under test.
  const { AWS_ENDPOINT_URL: _unset, ...env } = process.env;
  child = spawn(process.execPath, [chute, 'stepfunctions', '--port', '0', '--data', data], {
    env: {
      ...env,
      AWS_ACCOUNT_ID: '123456789012',
      AWS_DEFAULT_REGION: 'eu-west-1',
      WAIT_TIME_SCALE: '0',
      LAMBDA_ENDPOINT: lambda.url,
      DYNAMODB_ENDPOINT: cloud.url,
      SQS_ENDPOINT: cloud.url,
      SNS_ENDPOINT: cloud.url,
      BATCH_ENDPOINT: 'http://127.0.0.1:1',
    },
    detached: true,
  });
  const url = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`chute stepfunctions did not start:\n${stdout}`)),
      30_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Step Functions API on (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(deadline);
        resolve(match[1]!);
      }
    });
  });
  sfn = new SFNClient({
    endpoint: url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  lambda?.server.close();
  await cloud?.close();
  await rm(data, { recursive: true, force: true });
});

describe('chute stepfunctions with Step Functions Local settings', () => {
  it('puts machines in AWS_ACCOUNT_ID and AWS_DEFAULT_REGION, scales waits by WAIT_TIME_SCALE and invokes Lambda at LAMBDA_ENDPOINT', async () => {
    const definition = {
      StartAt: 'Pause',
      States: {
        Pause: { Type: 'Wait', Seconds: 3600, Next: 'Double' },
        Double: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'doubler', 'Payload.$': '$' },
          OutputPath: '$.Payload',
          Next: 'DoubleAgain',
        },
        DoubleAgain: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:doubler',
          Parameters: { 'n.$': '$.doubled' },
          End: true,
        },
      },
    };
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'Doubling',
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::123456789012:role/test',
      }),
    );
    const run = await runExecution(sfn, { stateMachineArn: stateMachineArn!, input: { n: 5 } });

    expect(stateMachineArn).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:Doubling');
    expect(run.executionArn).toMatch(/^arn:aws:states:eu-west-1:123456789012:execution:Doubling:/);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ doubled: 20 });
    expect(lambda.invocations).toEqual([
      { path: '/2015-03-31/functions/doubler/invocations', body: { n: 5 } },
      {
        path: `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:eu-west-1:123456789012:function:doubler')}/invocations`,
        body: { n: 10 },
      },
    ]);
  }, 60_000);

  it('puts items, sends messages and publishes at DYNAMODB_ENDPOINT, SQS_ENDPOINT and SNS_ENDPOINT', async () => {
    const { dynamodb, sqs, sns } = cloud.cloud.clients;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'ledger',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'done' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'notices' }));
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Record',
      States: {
        Record: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Arguments: { TableName: 'ledger', Item: { pk: { S: '{% $states.input.file %}' } } },
          Next: 'Tell',
        },
        Tell: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl, MessageBody: '{% {"file": $states.context.Execution.Input.file} %}' },
          Next: 'Publish',
        },
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn, Message: 'done' },
          Output: '{% $states.result.MessageId %}',
          End: true,
        },
      },
    };
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'Recording',
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::123456789012:role/test',
      }),
    );

    const run = await runExecution(sfn, { stateMachineArn: stateMachineArn!, input: { file: 'a.csv' } });

    expect(run.status).toBe('SUCCEEDED');
    expect(typeof run.output).toBe('string');
    const item = await dynamodb.send(
      new GetItemCommand({ TableName: 'ledger', Key: { pk: { S: 'a.csv' } } }),
    );
    expect(item.Item).toEqual({ pk: { S: 'a.csv' } });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(received.Messages?.map((m) => JSON.parse(m.Body!))).toEqual([{ file: 'a.csv' }]);
  }, 60_000);

  it('says which settings name an integration it does not serve', () => {
    expect(stdout).toContain('BATCH_ENDPOINT is not used: Chute has no AWS Batch integration');
  });
});
