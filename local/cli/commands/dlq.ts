import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { listDeadLetters, replayDeadLetters, type DeadLetterEntry } from '../../services/dead-letters.ts';
import { clientsOf, withEndpoint } from '../endpoint.ts';

const describe = (entry: DeadLetterEntry): string => {
  const { letter } = entry;
  if (!letter) return `not a dead letter (message ${entry.messageId}): ${entry.raw.slice(0, 200)}`;
  const where = entry.pointer ? `\n  body in s3://${entry.pointer.s3BucketName}/${entry.pointer.s3Key}` : '';
  return (
    `${letter.stage}: ${letter.error} — ${letter.file?.key} (${entry.rows} rows)\n  ${letter.cause}` +
    `\n  ${entry.parentExecution ?? letter.execution}${where}`
  );
};

/** `chute dlq list|replay`: the batches that failed every retry. */
export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('The dead-letter queue of failed batches');
  const queueUrl = async (options: { endpoint: string }) => {
    const { QueueUrl } = await clientsOf(options).sqs.send(
      new GetQueueUrlCommand({ QueueName: ResourceNames.deadLetterQueue }),
    );
    return QueueUrl!;
  };
  withEndpoint(dlq.command('list').description('Show every dead letter (they stay in the queue)')).action(
    async (options: { endpoint: string }) => {
      const entries = await listDeadLetters(clientsOf(options), await queueUrl(options));
      if (!entries.length) console.log('The dead-letter queue is empty.');
      for (const entry of entries) console.log(describe(entry));
      if (entries.length) {
        const rows = entries.reduce((sum, e) => sum + e.rows, 0);
        console.log(`${entries.length} dead letters, ${rows} rows`);
      }
    },
  );
  withEndpoint(
    dlq
      .command('replay')
      .description(
        'Redrive the executions the dead letters belong to: their failed batches run again, and the dead letters go once it succeeds',
      ),
  ).action(async (options: { endpoint: string }) => {
    const outcomes = await replayDeadLetters(clientsOf(options), await queueUrl(options));
    if (!outcomes.length) console.log('Nothing to replay.');
    for (const o of outcomes) {
      const what = `${o.executionArn} (${o.letters} dead letters, ${o.rows} rows)`;
      const said = {
        redriven: `redriven ${what}: its dead letters are removed when it succeeds`,
        cleared: `removed the stale dead letters of ${what}: it has succeeded since`,
        running: `left ${what}: it is running`,
        'not-redrivable': `cannot redrive ${what}: ${o.detail}`,
        'unknown-execution': `cannot find ${what}: ${o.detail}`,
      }[o.action];
      console.log(said);
      if (o.action === 'not-redrivable' || o.action === 'unknown-execution') process.exitCode = 1;
    }
  });
}
