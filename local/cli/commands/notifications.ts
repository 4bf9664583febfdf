import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { sweepQueue } from '../../../functions/dead-letter/aws-ports.ts';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { clientsOf, withEndpoint } from '../endpoint.ts';

interface Notification {
  status?: string;
  file?: string;
  loaded?: number | null;
  rejected?: number | null;
  countsUnknown?: string;
  error?: string;
}

const line = (body: string): string => {
  let n: Notification;
  try {
    n = JSON.parse(body) as Notification;
  } catch {
    return `(not JSON) ${body.slice(0, 200)}`;
  }
  const counts =
    n.loaded === null || n.countsUnknown
      ? `counts unknown (${n.countsUnknown ?? 'no counts'})`
      : `loaded ${n.loaded}, rejected ${n.rejected}`;
  return `${n.status} ${n.file}: ${counts}${n.error ? `, ${n.error}` : ''}`;
};

/** `chute notifications`: what the SNS topic sent (read from a queue subscribed to it). */
export function registerNotifications(program: Command): void {
  withEndpoint(program.command('notifications').description('Show the notifications SNS sent')).action(
    async (options: { endpoint: string }) => {
      const { sqs } = clientsOf(options);
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: `${ResourceNames.topic}-inbox` }),
      );
      // The whole queue, oldest first; every message stays.
      const seen: { sentAt: number; body: string }[] = [];
      await sweepQueue(sqs, QueueUrl!, async (message) => {
        seen.push({ sentAt: Number(message.Attributes?.SentTimestamp ?? 0), body: message.Body ?? '' });
        return false;
      });
      if (!seen.length) console.log('No notifications yet.');
      for (const { body } of seen.sort((a, b) => a.sentAt - b.sentAt)) console.log(line(body));
    },
  );
}
