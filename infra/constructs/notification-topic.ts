import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The SNS topic of per-file summaries: KMS-encrypted, TLS only. */
export class NotificationTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'Chute notifications' });
    this.topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
  }
}
