import { Command } from 'commander';
import { registerDlq } from './commands/dlq.ts';
import { registerExecutions } from './commands/executions.ts';
import { registerFiles } from './commands/files.ts';
import { registerNotifications } from './commands/notifications.ts';
import { registerRun } from './commands/run.ts';
import { registerStepFunctions } from './commands/stepfunctions.ts';
import { registerUp } from './commands/up.ts';

/** The `chute` program: each command lives in commands/<name>.ts. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('chute')
    .description('Run a file-ingestion pipeline on AWS Step Functions, or all of it locally')
    .showHelpAfterError();
  registerRun(program);
  registerUp(program);
  registerExecutions(program);
  registerFiles(program);
  registerDlq(program);
  registerNotifications(program);
  registerStepFunctions(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const { code, address, port } = error as { code?: string; address?: string; port?: number };
    if (code !== 'ECONNREFUSED') throw error;
    // The commands that read the local cloud need it running: say so instead of a stack trace.
    console.error(`chute: nothing answers at ${address}:${port}. Start the local cloud with \`chute up\`.`);
    process.exitCode = 1;
  }
}
