import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { StatesError } from '../engine/errors.ts';
import type { Invoker, LambdaRunner } from './lambda-runner.ts';

export interface IntegrationClients {
  sqs: SQSClient;
  sns: SNSClient;
  dynamodb: DynamoDBClient;
  s3: S3Client;
}

type Params = Record<string, unknown>;

const metadata = (requestId: string | undefined) => ({
  SdkHttpMetadata: { HttpStatusCode: 200 },
  SdkResponseMetadata: { RequestId: requestId ?? '' },
});

// Step Functions sends non-string message bodies as their JSON text.
const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Step Functions names a service's error `<Service>.<ErrorName>`, e.g. `DynamoDB.ConditionalCheckFailedException`. */
async function call<T>(service: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof StatesError) throw error;
    const e = error as Error;
    throw new StatesError(`${service}.${e.name === 'Error' ? 'AmazonServiceException' : e.name}`, e.message);
  }
}

/**
 * The optimized service integrations the pipeline uses, through the real SDK clients against
 * whatever endpoint they point at, with Step Functions' output shapes.
 */
export function createIntegrations(clients: IntegrationClients, lambda: LambdaRunner) {
  const table: Record<string, (p: Params, timeoutSeconds?: number, invoker?: Invoker) => Promise<unknown>> = {
    'lambda:invoke': async (p, timeoutSeconds, invoker) => {
      if (typeof p.FunctionName !== 'string')
        throw new StatesError('States.Runtime', 'lambda:invoke needs a FunctionName');
      const { payload } = await lambda.invoke(p.FunctionName, p.Payload, timeoutSeconds, invoker);
      return {
        ExecutedVersion: '$LATEST',
        Payload: payload,
        SdkHttpMetadata: { HttpStatusCode: 200 },
        SdkResponseMetadata: { RequestId: '' },
        StatusCode: 200,
      };
    },
    'sqs:sendMessage': async (p) => {
      const out = await call('SQS', () =>
        clients.sqs.send(
          new SendMessageCommand({ ...(p as object), MessageBody: asText(p.MessageBody) } as never),
        ),
      );
      return {
        MD5OfMessageBody: out.MD5OfMessageBody,
        MessageId: out.MessageId,
        ...metadata(out.$metadata.requestId),
      };
    },
    'sns:publish': async (p) => {
      const out = await call('SNS', () =>
        clients.sns.send(new PublishCommand({ ...(p as object), Message: asText(p.Message) } as never)),
      );
      return { MessageId: out.MessageId, ...metadata(out.$metadata.requestId) };
    },
    'dynamodb:getItem': async (p) => {
      const out = await call('DynamoDB', () => clients.dynamodb.send(new GetItemCommand(p as never)));
      return { ...(out.Item ? { Item: out.Item } : {}), ...metadata(out.$metadata.requestId) };
    },
    'dynamodb:putItem': async (p) => {
      const out = await call('DynamoDB', () => clients.dynamodb.send(new PutItemCommand(p as never)));
      return {
        ...(out.Attributes ? { Attributes: out.Attributes } : {}),
        ...metadata(out.$metadata.requestId),
      };
    },
    'dynamodb:updateItem': async (p) => {
      const out = await call('DynamoDB', () => clients.dynamodb.send(new UpdateItemCommand(p as never)));
      return {
        ...(out.Attributes ? { Attributes: out.Attributes } : {}),
        ...metadata(out.$metadata.requestId),
      };
    },
    'dynamodb:deleteItem': async (p) => {
      const out = await call('DynamoDB', () => clients.dynamodb.send(new DeleteItemCommand(p as never)));
      return {
        ...(out.Attributes ? { Attributes: out.Attributes } : {}),
        ...metadata(out.$metadata.requestId),
      };
    },
    's3:getObject': async (p) => {
      const out = await call('S3', () => clients.s3.send(new GetObjectCommand(p as never)));
      const body = (await out.Body?.transformToString('utf8')) ?? '';
      return {
        Body: body,
        ContentLength: out.ContentLength,
        ContentType: out.ContentType,
        ETag: out.ETag,
        LastModified: out.LastModified?.toISOString(),
      };
    },
    's3:putObject': async (p) => {
      const out = await call('S3', () =>
        clients.s3.send(new PutObjectCommand({ ...(p as object), Body: asText(p.Body) } as never)),
      );
      return { ETag: out.ETag, ...metadata(out.$metadata.requestId) };
    },
  };
  return {
    /** Resolves `arn:aws:states:::<service>:<action>` or returns undefined when not supported. */
    find(resource: string) {
      const match = /^arn:aws[\w-]*:states:[^:]*:[^:]*:([a-z0-9]+):([A-Za-z]+)$/.exec(resource);
      return match ? table[`${match[1]}:${match[2]}`] : undefined;
    },
  };
}
