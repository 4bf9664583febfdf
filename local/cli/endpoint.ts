import type { Command } from 'commander';
import { clientsFor, type AwsClients } from '../services/aws-clients.ts';
import { ResourceNames } from '../../workflow/resource-names.ts';

/** Adds `--endpoint` (default AWS_ENDPOINT_URL or http://127.0.0.1:4566) to a command. */
export const withEndpoint = (command: Command): Command =>
  command.option(
    '--endpoint <url>',
    'the local cloud (chute up)',
    process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566',
  );

export const clientsOf = (options: { endpoint: string }): AwsClients => clientsFor(options.endpoint);

export const pipelineArn = `arn:aws:states:us-east-1:000000000000:stateMachine:${ResourceNames.stateMachine}`;
