import { ListExecutionsCommand, ListMapRunsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { CliError } from '../cli-error.ts';
import { clientsOf, withEndpoint } from '../endpoint.ts';

interface LogPage {
  events?: { timestamp: number; message: string }[];
  nextToken?: string;
}

/** One FilterLogEvents call (AWS JSON 1.1) to the local cloud's CloudWatch Logs. */
async function filterLogEvents(endpoint: string, body: object): Promise<LogPage> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Logs_20140328.FilterLogEvents',
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as LogPage & { message?: string };
  if (!response.ok) throw new CliError(`CloudWatch Logs answered ${response.status}: ${json.message ?? ''}`);
  return json;
}

/** The ARNs of an execution's Map Run children: their events name them, not their parent. */
async function childrenOf(sfn: SFNClient, executionArn: string): Promise<string[]> {
  const arns: string[] = [];
  const { mapRuns = [] } = await sfn.send(new ListMapRunsCommand({ executionArn, maxResults: 1000 }));
  for (const { mapRunArn } of mapRuns) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000, nextToken }));
      for (const child of page.executions ?? []) arns.push(child.executionArn!);
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return arns;
}

interface LoggedEvent {
  type: string;
  execution_arn: string;
  details?: { name?: string; error?: string; cause?: string };
}

const MAX_CAUSE = 500;

/** One line per event: when, what, which execution, and the state, error and cause it names. */
function lineOf(timestamp: number, event: LoggedEvent): string {
  const { name, error, cause } = event.details ?? {};
  const shortCause = cause && cause.length > MAX_CAUSE ? `${cause.slice(0, MAX_CAUSE)}…` : cause;
  return [new Date(timestamp).toISOString(), event.type, event.execution_arn, name, error, shortCause]
    .filter(Boolean)
    .join(' ');
}

/**
 * `chute logs [ARN]`: the pipeline state machine's CloudWatch Logs, where its EXPRESS Map Run
 * children leave their failures (AWS keeps no history of them). Given an ARN, only that
 * execution's events; a parent's include its Map Run children's.
 */
export function registerLogs(program: Command): void {
  withEndpoint(
    program
      .command('logs')
      .description("Print the pipeline state machine's log events (failures only, as the stack logs them)")
      .argument('[executionArn]', 'an execution, or a Map Run child execution, of the pipeline')
      .addHelpText(
        'after',
        '\nExamples:\n  $ chute logs\n  $ chute logs arn:aws:states:us-east-1:000000000000:express:chute-pipeline/<label>:<id>',
      ),
  ).action(async (executionArn: string | undefined, options: { endpoint: string }) => {
    // An EXPRESS execution (a Map Run child) runs no Map Runs of its own here.
    const express = executionArn?.split(':')[5] === 'express';
    const wanted = executionArn
      ? new Set([executionArn, ...(express ? [] : await childrenOf(clientsOf(options).sfn, executionArn))])
      : undefined;
    // One execution alone is found by its ARN in the messages; a parent's children by listing them.
    const filterPattern = wanted?.size === 1 ? `"${executionArn}"` : undefined;
    let printed = 0;
    let nextToken: string | undefined;
    do {
      const page = await filterLogEvents(options.endpoint, {
        logGroupName: ResourceNames.stateMachineLogGroup,
        ...(filterPattern ? { filterPattern } : {}),
        ...(nextToken ? { nextToken } : {}),
      });
      for (const { timestamp, message } of page.events ?? []) {
        const event = JSON.parse(message) as LoggedEvent;
        if (wanted && !wanted.has(event.execution_arn)) continue;
        console.log(lineOf(timestamp, event));
        printed++;
      }
      nextToken = page.nextToken;
    } while (nextToken);
    if (printed === 0)
      console.log(
        executionArn
          ? `No log events of ${executionArn}.`
          : `No log events in ${ResourceNames.stateMachineLogGroup}.`,
      );
  });
}
