import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { awsCli } from '../../support/aws-cli.ts';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';

// The AWS CLI, as users run it, against the one endpoint of the local cloud.

describe('the AWS CLI against the local cloud', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  let healed = false;
  const cli = async (...args: string[]): Promise<string> => awsCli(cloud.url, ...args);
  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const stdout = await cli(...args);
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };
  const until = async (arn: string) => {
    for (;;) {
      const described = await aws('stepfunctions', 'describe-execution', '--execution-arn', arn);
      if (described.status !== 'RUNNING') return described;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chute-cli-'));
    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });
    cloud.functions.flaky = async () => {
      if (!healed) throw Object.assign(new Error('not yet'), { name: 'TransientError' });
      return { ok: true };
    };
  }, 60_000);
  afterAll(async () => {
    await cloud.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('s3 mb, cp and ls', async () => {
    const file = join(dataDir, 'orders.csv');
    await writeFile(file, 'order_id\nA-1\n');

    expect(await cli('s3', 'mb', 's3://cli-bucket')).toBe('make_bucket: cli-bucket\n');
    await cli('s3', 'cp', file, 's3://cli-bucket/input/orders/orders.csv');
    const stdout = await cli('s3', 'ls', 's3://cli-bucket/input/orders/');

    expect(stdout).toMatch(/\s13 orders\.csv\n$/);
  }, 60_000);

  it('s3 cp of a file past the multipart threshold: parts sent at once, one object back', async () => {
    const file = join(dataDir, 'big.bin');
    const bytes = randomBytes(21 * 1024 * 1024); // three 8 MiB parts, the CLI sends them concurrently
    await writeFile(file, bytes);

    await cli('s3', 'cp', file, 's3://cli-bucket/big.bin');
    await cli('s3', 'cp', 's3://cli-bucket/big.bin', join(dataDir, 'big.back'));

    expect((await readFile(join(dataDir, 'big.back'))).equals(bytes)).toBe(true);
    const head = await aws('s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'big.bin');
    expect(head).toMatchObject({ ContentLength: bytes.length, ETag: expect.stringMatching(/-3"$/) });
  }, 60_000);

  it('stepfunctions: create, start, describe, history, redrive', async () => {
    const definition = JSON.stringify({
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:flaky', End: true },
      },
    });
    const { stateMachineArn } = await aws(
      'stepfunctions',
      'create-state-machine',
      '--name',
      'cli',
      '--definition',
      definition,
      '--role-arn',
      'arn:aws:iam::000000000000:role/cli',
    );
    const { executionArn } = await aws(
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      String(stateMachineArn),
      '--input',
      '{"n":1}',
    );

    expect(await until(String(executionArn))).toMatchObject({ status: 'FAILED', error: 'TransientError' });
    healed = true;
    await aws('stepfunctions', 'redrive-execution', '--execution-arn', String(executionArn));
    expect(await until(String(executionArn))).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"ok":true}',
      redriveCount: 1,
    });
    const { events } = (await aws(
      'stepfunctions',
      'get-execution-history',
      '--execution-arn',
      String(executionArn),
      '--reverse-order',
    )) as { events: { type: string }[] };
    expect(events[0]!.type).toBe('ExecutionSucceeded');
    expect(events.map((e) => e.type)).toContain('ExecutionRedriven');
  }, 60_000);

  it('an invalid definition is refused with AWS error code', async () => {
    await expect(
      aws(
        'stepfunctions',
        'create-state-machine',
        '--name',
        'bad',
        '--definition',
        '{"StartAt":"Nowhere","States":{}}',
        '--role-arn',
        'arn:aws:iam::000000000000:role/cli',
      ),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('InvalidDefinition') });
  }, 60_000);

  it('dynamodb and sqs through the same endpoint', async () => {
    await aws(
      'dynamodb',
      'create-table',
      '--table-name',
      'cli',
      '--attribute-definitions',
      'AttributeName=pk,AttributeType=S',
      '--key-schema',
      'AttributeName=pk,KeyType=HASH',
      '--billing-mode',
      'PAY_PER_REQUEST',
    );
    const { QueueUrl } = await aws('sqs', 'create-queue', '--queue-name', 'cli-queue');

    expect((await aws('dynamodb', 'list-tables')).TableNames).toContain('cli');
    // Queue URLs name the endpoint the client called, as LocalStack's do: a host that resolves.
    expect(QueueUrl).toBe(`${cloud.url}/000000000000/cli-queue`);
    expect((await aws('sqs', 'get-queue-url', '--queue-name', 'cli-queue')).QueueUrl).toBe(QueueUrl);
    const { QueueUrls } = await aws('sqs', 'list-queues');
    for (const url of QueueUrls as string[]) expect(url.startsWith(`${cloud.url}/000000000000/`)).toBe(true);
    await aws('sqs', 'send-message', '--queue-url', String(QueueUrl), '--message-body', 'hello');
    const { Messages } = await aws('sqs', 'receive-message', '--queue-url', String(QueueUrl));
    expect((Messages as { Body: string }[])[0]!.Body).toBe('hello');
  }, 60_000);
});
