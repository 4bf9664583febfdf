import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { datasets } from '../../workflow/datasets/index.ts';
import { readEnvironment, requireSetting } from '../shared/config.ts';
import { getPool } from '../shared/db.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { NotifyInputSchema, notifyFile, type Publisher } from './notify.ts';

const sns = new SNSClient({});

const publisher: Publisher = {
  async publish({ subject, body, attributes }) {
    const TopicArn = requireSetting(readEnvironment().TOPIC_ARN, 'TOPIC_ARN');
    const MessageAttributes = Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
    );
    await sns.send(new PublishCommand({ TopicArn, Subject: subject, Message: body, MessageAttributes }));
  },
};

// An unknown dataset still gets its failure notification, so the lookup does not throw here.
export const handler = stageHandler(NotifyInputSchema, async (input) =>
  notifyFile(input, {
    dataset: datasets[input.dataset],
    pool: await getPool(),
    publisher,
    now: () => new Date(),
  }),
);
