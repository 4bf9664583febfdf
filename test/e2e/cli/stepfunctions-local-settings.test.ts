import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';

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
let data: string;
let child: ChildProcessWithoutNullStreams;
let sfn: SFNClient;

beforeAll(async () => {
  lambda = await startLambdaEndpoint();
  data = await mkdtemp(join(tmpdir(), 'chute-sfn-local-'));
  child = spawn(process.execPath, [chute, 'stepfunctions', '--port', '0', '--data', data], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: '',
      AWS_ACCOUNT_ID: '123456789012',
      AWS_DEFAULT_REGION: 'eu-west-1',
      WAIT_TIME_SCALE: '0',
      LAMBDA_ENDPOINT: lambda.url,
    },
    detached: true,
  });
  let stdout = '';
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
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ n: 5 }) }),
    );
    let described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    for (let tries = 0; described.status === 'RUNNING' && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    }

    expect(stateMachineArn).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:Doubling');
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({ doubled: 20 });
    expect(lambda.invocations).toEqual([
      { path: '/2015-03-31/functions/doubler/invocations', body: { n: 5 } },
      {
        path: `/2015-03-31/functions/${encodeURIComponent('arn:aws:lambda:eu-west-1:123456789012:function:doubler')}/invocations`,
        body: { n: 10 },
      },
    ]);
  }, 60_000);
});
