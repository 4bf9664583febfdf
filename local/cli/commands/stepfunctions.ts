import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../engine/clock.ts';
import { startStepFunctionsServer } from '../../api/server.ts';
import { CONSOLE_PATH } from '../../console/serve-console.ts';
import { createTaskRunner } from '../../services/task-runner.ts';
import { untilSignal } from '../until-signal.ts';

/** `chute stepfunctions`: the Step Functions emulator alone, like AWS's Step Functions Local. */
export function registerStepFunctions(program: Command): void {
  program
    .command('stepfunctions')
    .description('Start the local Step Functions API alone on 127.0.0.1')
    .option('--port <port>', 'port to listen on', '8083')
    .option('--data <dir>', 'where state machines, executions and histories are kept', '.chute/stepfunctions')
    .option('--time-scale <factor>', 'multiply Wait and retry delays (0 = never wait)', '1')
    .addHelpText(
      'after',
      `
Examples:
  $ chute stepfunctions                       # like Step Functions Local, on http://127.0.0.1:8083
  $ SFN_MOCK_CONFIG=mocks.json chute stepfunctions --time-scale 0`,
    )
    .action(async (options: { port: string; data: string; timeScale: string }) => {
      const dataDir = resolve(options.data);
      await mkdir(dataDir, { recursive: true });
      const server = await startStepFunctionsServer({
        dataDir,
        port: Number(options.port),
        clock: systemClock(Number(options.timeScale)),
        taskRunner: createTaskRunner({ mockConfigPath: process.env.SFN_MOCK_CONFIG }),
      });
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
