import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { measureRun } from '../../../local/cost/measure-run.ts';
import { UNMETERED_USER_AGENT } from '../../../local/metering/edge-meter.ts';
import { UsageMeter } from '../../../local/metering/usage-meter.ts';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';
import { RowStageNames } from '../../../workflow/resource-names.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';

describe('the meter of a local cloud, request by request', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  const meter = new UsageMeter();
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chute-meter-'));
    cloud = await startLocalCloud({ dataDir, port: 0, meter });
  }, 60_000);
  afterAll(async () => {
    await cloud?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('counts S3 requests by price class, and not the cloud reading an upload back for its event', async () => {
    // Prepare
    const { s3 } = cloud.clients;
    await s3.send(new CreateBucketCommand({ Bucket: 'metered' }));
    meter.take();
    // Act
    await s3.send(new PutObjectCommand({ Bucket: 'metered', Key: 'a.txt', Body: 'a' }));
    await s3
      .send(new GetObjectCommand({ Bucket: 'metered', Key: 'a.txt' }))
      .then((r) => r.Body?.transformToString());
    await s3.send(new ListObjectsV2Command({ Bucket: 'metered' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'metered', Key: 'a.txt' }));
    const unmetered = new S3Client({
      endpoint: cloud.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      customUserAgent: UNMETERED_USER_AGENT,
    });
    await unmetered.send(new ListObjectsV2Command({ Bucket: 'metered' }));
    unmetered.destroy();
    // Assess: PUT and LIST at one price, GET at the other, DELETE free.
    expect(meter.take().s3).toEqual({ writeOrListRequests: 2, readRequests: 1 });
  });

  it('counts DynamoDB request units by item size, and leaves the reply as the caller asked for it', async () => {
    // Prepare
    const { dynamodb } = cloud.clients;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'metered',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    meter.take();
    // Act: a 2.5 KB item written, read eventually and strongly consistent.
    const put = await dynamodb.send(
      new PutItemCommand({ TableName: 'metered', Item: { pk: { S: 'k' }, v: { S: 'x'.repeat(2500) } } }),
    );
    const eventual = await dynamodb.send(
      new GetItemCommand({ TableName: 'metered', Key: { pk: { S: 'k' } } }),
    );
    const strong = await dynamodb.send(
      new GetItemCommand({
        TableName: 'metered',
        Key: { pk: { S: 'k' } },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    // Assess: ⌈2.5 KB / 1 KB⌉ = 3 write units; ⌈2.5 KB / 4 KB⌉ = 1 read unit, half when eventual.
    expect(meter.take().dynamodb).toEqual({ writeRequestUnits: 3, readRequestUnits: 1.5 });
    expect(put.ConsumedCapacity).toBeUndefined();
    expect(eventual.Item?.v?.S).toHaveLength(2500);
    expect(eventual.ConsumedCapacity).toBeUndefined();
    expect(strong.ConsumedCapacity?.CapacityUnits).toBe(1);
  });

  it('counts SQS requests per 64 KB of message', async () => {
    // Prepare
    const { sqs } = cloud.clients;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'metered' }));
    meter.take();
    // Act: a small message and one of 100 KB.
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'small' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(100 * 1024) }));
    // Assess: 1 + ⌈100 / 64⌉ = 3.
    expect(meter.take().sqs.requests).toBe(3);
  });
});

describe('the meter of the pipeline on three uploaded files', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('counts what the pipeline does for each file', async () => {
    // Act: three JSON files of 150 rows each.
    const run = await measureRun({ files: 3, rowsPerFile: 150, databaseUrl: database.url });
    // Assess, from asl/pipeline.asl.json: three small files share one batch execution, which
    // enters CheckInput, ProcessFileBatch, WasBatchRedriven and BatchLoaded and starts one EXPRESS
    // child for its three files (Batching.filesPerChild = 10): 4 + 1 transitions.
    const { usage } = run;
    expect(run.statuses).toEqual({ SUCCEEDED: 3 });
    expect(usage.stepFunctions).toMatchObject({
      standardExecutions: 1,
      standardTransitions: 4 + 1,
      expressExecutions: 1,
    });
    expect(usage.stepFunctions.expressBilledMs).toBeGreaterThanOrEqual(100);
    // The child runs the row stages and notify once a file (validate reads the file itself).
    for (const stage of RowStageNames) expect(usage.lambda[`chute-${stage}`]?.invocations).toBe(3);
    expect(usage.lambda['chute-notify']?.invocations).toBe(3);
    // S3: the uploads (PUTs) and validate's GET of each file.
    expect(usage.s3).toEqual({ writeOrListRequests: 3, readRequests: 3 });
    // DynamoDB: the claim's putItem and the closing updateItem of an item under 1 KB, a file each.
    expect(usage.dynamodb).toEqual({ writeRequestUnits: 3 * 2, readRequestUnits: 0 });
    // SNS: the file's notification.
    expect(usage.sns.publishes).toBe(3);
    // SQS: EventBridge's SendMessage of each upload event, the pipe's receives (long polls, some
    // empty) and one DeleteMessageBatch; nothing goes to the dead-letter queue.
    expect(usage.sqs.requests).toBeGreaterThanOrEqual(3 + 1 + 1);
    // Pipes: one batch of three records, under 64 KB.
    expect(usage.pipes.requests).toBe(1);
    // EventBridge: only AWS's own events (S3 Object Created, execution status changes): free.
    expect(usage.eventBridge.customEvents).toBe(0);
    expect(usage.logs.ingestedBytes).toBeGreaterThan(0);
  }, 120_000);
});
