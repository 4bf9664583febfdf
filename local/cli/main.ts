import { Command } from 'commander';
import { registerStepFunctions } from './commands/stepfunctions.ts';

/** The `chute` program: each command lives in commands/<name>.ts. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('chute')
    .description('Run a file-ingestion pipeline on AWS Step Functions, or all of it locally')
    .showHelpAfterError();
  registerStepFunctions(program);
  await program.parseAsync(argv);
}
