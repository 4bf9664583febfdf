import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { clientsOf, pipelineArn, withEndpoint } from '../endpoint.ts';
import { fileOf } from '../execution-file.ts';

/** `chute executions`, `chute history ARN`, `chute redrive ARN`: the pipeline's executions on a running `chute up`. */
export function registerExecutions(program: Command): void {
  withEndpoint(
    program
      .command('executions')
      .description('List the pipeline executions')
      .option('--status <status>', 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED')
      .addHelpText('after', '\nExamples:\n  $ chute executions\n  $ chute executions --status FAILED'),
  ).action(async (options: { endpoint: string; status?: string }) => {
    const { sfn } = clientsOf(options);
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: pipelineArn,
          ...(options.status ? { statusFilter: options.status.toUpperCase() as ExecutionStatus } : {}),
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      const described = await Promise.all(
        (page.executions ?? []).map((e) =>
          sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn })),
        ),
      );
      for (const e of described) {
        const file = fileOf(e.input ?? null)?.key ?? '(not an upload)';
        console.log(
          `${e.status?.padEnd(9)} ${e.startDate?.toISOString()} ${file} ${e.redriveCount ? `redriven ×${e.redriveCount} ` : ''}${e.executionArn}`,
        );
      }
      nextToken = page.nextToken;
    } while (nextToken);
  });

  withEndpoint(
    program
      .command('history')
      .description('Print the history of an execution')
      .argument('<executionArn>')
      .addHelpText(
        'after',
        '\nExample:\n  $ chute history arn:aws:states:us-east-1:000000000000:execution:chute-pipeline:<id>',
      ),
  ).action(async (executionArn: string, options: { endpoint: string }) => {
    // GetExecutionHistory would answer a bare InvalidArn: say why, and what does answer.
    if (executionArn.split(':')[5] === 'express')
      throw new CliError(
        `${executionArn} is an Express execution: AWS keeps no execution history for Express executions ` +
          "(the pipeline's Map Run children are EXPRESS). `aws stepfunctions describe-execution` shows a " +
          "Map Run child's status, input and error; `chute logs ARN` its failures, as the state machine logged them.",
      );
    const { sfn } = clientsOf(options);
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          includeExecutionData: false,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      for (const event of page.events ?? []) {
        const details = Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1] as
          Record<string, unknown> | undefined;
        const what = details ? [details.name, details.error, details.cause].filter(Boolean).join(' ') : '';
        console.log(
          `${String(event.id).padStart(5)} ${event.timestamp?.toISOString()} ${event.type} ${what}`.trimEnd(),
        );
      }
      nextToken = page.nextToken;
    } while (nextToken);
  });

  withEndpoint(
    program
      .command('redrive')
      .description('Redrive a failed execution: only what failed runs again')
      .argument('<executionArn>')
      .addHelpText(
        'after',
        '\nExample:\n  $ chute redrive arn:aws:states:us-east-1:000000000000:execution:chute-pipeline:<id>',
      ),
  ).action(async (executionArn: string, options: { endpoint: string }) => {
    const { sfn } = clientsOf(options);
    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    console.log(`Redriven at ${redriveDate?.toISOString()}: ${executionArn}`);
  });
}
