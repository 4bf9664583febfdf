import { GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { clientsOf, withEndpoint } from '../endpoint.ts';

/** `chute notifications`: what the SNS topic sent (read from a queue subscribed to it). */
export function registerNotifications(program: Command): void {
  withEndpoint(program.command('notifications').description('Show the notifications SNS sent')).action(
    async (options: { endpoint: string }) => {
      const { sqs } = clientsOf(options);
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: `${ResourceNames.topic}-inbox` }),
      );
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      if (!Messages?.length) console.log('No notifications yet.');
      for (const message of Messages ?? []) {
        const body = JSON.parse(message.Body ?? '{}') as {
          status?: string;
          file?: string;
          loaded?: number;
          rejected?: number;
          error?: string;
        };
        console.log(
          `${body.status} ${body.file}: loaded ${body.loaded}, rejected ${body.rejected}${body.error ? `, ${body.error}` : ''}`,
        );
      }
    },
  );
}
