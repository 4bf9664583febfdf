import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Prefixes } from '../../workflow/resource-names.ts';

/** The bucket files are dropped into: private, encrypted, TLS only, versioned, logged, EventBridge on. */
export class IngestBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      eventBridgeEnabled: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'files/',
      // Map Run result files are for inspection and replays, not for keeping.
      lifecycleRules: [
        {
          prefix: Prefixes.results,
          expiration: Duration.days(30),
          noncurrentVersionExpiration: Duration.days(7),
        },
        // Dead letters too big for the queue: kept a day longer than the queue keeps their pointers.
        {
          prefix: Prefixes.deadLetters,
          expiration: Duration.days(15),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
