import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The environment the AWS CLI gets: dummy credentials and a region, as a user sets them. */
export const awsCliEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
};

/** Runs the real AWS CLI against a local endpoint with JSON output; resolves with its stdout. */
export async function awsCli(endpoint: string, ...args: string[]): Promise<string> {
  return (await run('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], { env: awsCliEnv }))
    .stdout;
}
