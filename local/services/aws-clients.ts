import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsClients {
  s3: S3Client;
  sqs: SQSClient;
  sns: SNSClient;
  dynamodb: DynamoDBClient;
  sfn: SFNClient;
}

/** SDK clients for one endpoint (path-style S3), with the local cloud's dummy credentials. */
export function clientsFor(endpoint: string, region = 'us-east-1'): AwsClients {
  const config = { endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  return {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    dynamodb: new DynamoDBClient(config),
    // No `sync-` host prefix for StartSyncExecution: it cannot resolve on 127.0.0.1.
    sfn: new SFNClient({ ...config, disableHostPrefix: true }),
  };
}
