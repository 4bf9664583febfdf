import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../engine/clock.ts';
import { startStepFunctionsServer } from '../../api/server.ts';
import { CONSOLE_PATH } from '../../console/serve-console.ts';
import { createTaskRunner } from '../../services/task-runner.ts';
import { readStepFunctionsLocalSettings } from '../step-functions-local-settings.ts';
import { untilSignal } from '../until-signal.ts';

/** `chute stepfunctions`: the Step Functions emulator alone, like AWS's Step Functions Local. */
export function registerStepFunctions(program: Command): void {
  program
    .command('stepfunctions')
    .description('Start the local Step Functions API alone on 127.0.0.1')
    .option('--port <port>', 'port to listen on', '8083')
    .option('--data <dir>', 'where state machines, executions and histories are kept', '.chute/stepfunctions')
    .option(
      '--time-scale <factor>',
      'multiply Wait and retry delays (0 = never wait); default WAIT_TIME_SCALE or 1',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ chute stepfunctions                       # like Step Functions Local, on http://127.0.0.1:8083
  $ SFN_MOCK_CONFIG=mocks.json chute stepfunctions --time-scale 0

Step Functions Local's environment variables are read as it reads them: AWS_ACCOUNT_ID,
AWS_DEFAULT_REGION, WAIT_TIME_SCALE, LAMBDA_ENDPOINT, SQS_ENDPOINT, SNS_ENDPOINT,
DYNAMODB_ENDPOINT and SFN_MOCK_CONFIG; other integrations use AWS_ENDPOINT_URL.`,
    )
    .action(async (options: { port: string; data: string; timeScale?: string }) => {
      const settings = readStepFunctionsLocalSettings(process.env);
      const dataDir = resolve(options.data);
      await mkdir(dataDir, { recursive: true });
      const server = await startStepFunctionsServer({
        dataDir,
        port: Number(options.port),
        account: settings.account,
        clock: systemClock(
          options.timeScale !== undefined ? Number(options.timeScale) : (settings.waitTimeScale ?? 1),
        ),
        taskRunner: createTaskRunner({ mockConfigPath: settings.mockConfigPath, clients: settings.clients }),
      });
      for (const note of settings.unused) console.log(`Note: ${note}`);
      // Listening before the first line is printed: whoever waits for that line may signal at once.
      const stopped = untilSignal();
      console.log(`Step Functions API on ${server.url} (data in ${dataDir})`);
      console.log(`  aws stepfunctions --endpoint-url ${server.url} list-state-machines`);
      console.log(`  Console: ${server.url}${CONSOLE_PATH}`);
      await stopped;
      await server.close();
      console.log('stopped');
    });
}
