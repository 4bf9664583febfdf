import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { clientsOf, withEndpoint } from '../endpoint.ts';

/** `chute dlq list|replay`: the batches that failed every retry. */
export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('The dead-letter queue of failed batches');
  withEndpoint(dlq.command('list').description('Show the dead letters (they stay in the queue)')).action(
    async (options: { endpoint: string }) => {
      const { sqs } = clientsOf(options);
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: ResourceNames.deadLetterQueue }),
      );
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      if (!Messages?.length) console.log('The dead-letter queue is empty.');
      for (const message of Messages ?? []) {
        const body = JSON.parse(message.Body ?? '{}') as {
          stage?: string;
          error?: string;
          cause?: string;
          file?: { key?: string };
          execution?: string;
          batch?: { Items?: unknown[] };
        };
        console.log(
          `${body.stage}: ${body.error} — ${body.file?.key} (${body.batch?.Items?.length ?? 0} rows)\n  ${body.cause}\n  ${body.execution}`,
        );
      }
    },
  );
  withEndpoint(
    dlq
      .command('replay')
      .description(
        'Run each dead-lettered batch again as its own execution of the item processor, then delete it',
      ),
  ).action(async (options: { endpoint: string }) => {
    const { sqs, sfn } = clientsOf(options);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: ResourceNames.deadLetterQueue }));
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      if (!Messages?.length) break;
      for (const message of Messages) {
        const body = JSON.parse(message.Body ?? '{}') as { execution: string; batch: unknown };
        // The child's state machine is the parent's ItemProcessor: `…:execution:<machine>/<label>:<name>`.
        const machine = body.execution.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '');
        const { executionArn } = await sfn.send(
          new StartExecutionCommand({ stateMachineArn: machine, input: JSON.stringify(body.batch) }),
        );
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
        console.log(`replayed as ${executionArn}`);
      }
    }
  });
}
