import { Command } from 'commander';
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
  registerStepFunctions(program);
  await program.parseAsync(argv);
}
