import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { readEnvironment, requireSetting } from '../shared/config.ts';
import type { Publisher } from './notify.ts';

let sns: SNSClient | undefined;

/** Publishes notify's messages to the SNS topic named by TOPIC_ARN (client created once). */
export function snsPublisher(): Publisher {
  sns ??= new SNSClient({});
  const client = sns;
  return {
    async publish({ subject, body, attributes }) {
      const TopicArn = requireSetting(readEnvironment().TOPIC_ARN, 'TOPIC_ARN');
      const MessageAttributes = Object.fromEntries(
        Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
      );
      await client.send(new PublishCommand({ TopicArn, Subject: subject, Message: body, MessageAttributes }));
    },
  };
}
