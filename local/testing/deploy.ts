import { readFileSync } from 'node:fs';
import {
  CreateStateMachineCommand,
  StateMachineAlreadyExists,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { substitute } from '../../workflow/definition.ts';

/** An ASL file with its `${Placeholders}` replaced; a missing or unused value is an error. */
export function readAsl(path: string | URL, substitutions: Record<string, string> = {}): string {
  return substitute(readFileSync(path, 'utf8'), substitutions);
}

export interface DeployOptions {
  name: string;
  /** The definition as text (see `readAsl`) or as an object. */
  definition: string | object;
  type?: 'STANDARD' | 'EXPRESS';
  roleArn?: string;
}

/** Creates the state machine, or updates its definition if one of that name exists; its ARN. */
export async function deployStateMachine(client: SFNClient, options: DeployOptions): Promise<string> {
  const definition =
    typeof options.definition === 'string' ? options.definition : JSON.stringify(options.definition);
  const roleArn = options.roleArn ?? 'arn:aws:iam::000000000000:role/chute-testing';
  try {
    const created = await client.send(
      new CreateStateMachineCommand({
        name: options.name,
        definition,
        roleArn,
        ...(options.type ? { type: options.type } : {}),
      }),
    );
    return created.stateMachineArn!;
  } catch (error) {
    if (!(error instanceof StateMachineAlreadyExists)) throw error;
    // AWS names the existing machine in the message: "State Machine Already Exists: 'arn…'".
    const arn = /'(arn:[^']+)'/.exec(error.message)?.[1];
    if (!arn) throw error;
    await client.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition, roleArn }));
    return arn;
  }
}
