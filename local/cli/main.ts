import { Command } from 'commander';
import { registerCost } from './commands/cost.ts';
import { registerDlq } from './commands/dlq.ts';
import { registerExecutions } from './commands/executions.ts';
import { registerFiles } from './commands/files.ts';
import { registerLogs } from './commands/logs.ts';
import { registerNotifications } from './commands/notifications.ts';
import { registerRows } from './commands/rows.ts';
import { registerRun } from './commands/run.ts';
import { registerStepFunctions } from './commands/stepfunctions.ts';
import { registerUp } from './commands/up.ts';
import { describeError } from './describe-error.ts';

/** The `chute` program: each command lives in commands/<name>.ts. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('chute')
    .description('Run a file-ingestion pipeline on AWS Step Functions, or all of it locally')
    .showHelpAfterError();
  registerRun(program);
  registerRows(program);
  registerUp(program);
  registerExecutions(program);
  registerLogs(program);
  registerFiles(program);
  registerDlq(program);
  registerNotifications(program);
  registerStepFunctions(program);
  registerCost(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const line = describeError(error);
    if (line === undefined) throw error;
    console.error(`chute: ${line}`);
    process.exitCode = 1;
  }
}
