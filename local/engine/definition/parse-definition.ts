import { createRequire } from 'node:module';
import type { Machine, ResultWriter, State, StateMachineDefinition } from './types.ts';

const require = createRequire(import.meta.url);
// asl-validator ships no types: its default export validates a definition object.
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => {
  isValid: boolean;
  errors: { Message?: string; 'Error code'?: string }[];
  errorsText(separator?: string): string;
};

/** A definition Step Functions would refuse, with every problem found. */
export class InvalidDefinitionError extends Error {
  override readonly name = 'InvalidDefinitionError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid State Machine Definition: '${problems.join(', ')}'`);
    this.problems = problems;
  }
}

const terminal = new Set(['Succeed', 'Fail', 'Choice']);

/** Our checks beyond the JSON schema: transitions that go nowhere, states nothing reaches. */
function checkMachine(machine: Machine, where: string, problems: string[]): void {
  const names = Object.keys(machine.States ?? {});
  if (!names.includes(machine.StartAt)) {
    problems.push(
      `MISSING_TRANSITION_TARGET: StartAt '${machine.StartAt}' is not a state at ${where}/StartAt`,
    );
  }
  const reached = new Set<string>();
  const visit = (name: string) => {
    if (reached.has(name) || !machine.States[name]) return;
    reached.add(name);
    for (const next of targetsOf(machine.States[name]!)) visit(next);
  };
  visit(machine.StartAt);
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    const at = `${where}/States/${name}`;
    for (const next of targetsOf(state)) {
      if (!names.includes(next))
        problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${next} at ${at}`);
    }
    const s = state as unknown as Record<string, unknown>;
    if (!terminal.has(state.Type) && s.End !== true && typeof s.Next !== 'string') {
      problems.push(`MISSING_TRANSITION_TARGET: State must have 'Next' or 'End' at ${at}`);
    }
    if (s.End === true && typeof s.Next === 'string') {
      problems.push(`SCHEMA_VALIDATION_FAILED: A state cannot have both 'Next' and 'End' at ${at}`);
    }
    if (!reached.has(name)) problems.push(`UNREACHABLE_STATE: State '${name}' is not reachable at ${at}`);
    if (state.Type === 'Parallel')
      state.Branches.forEach((b, i) => checkMachine(b, `${at}/Branches[${i}]`, problems));
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) checkMachine(processor, `${at}/ItemProcessor`, problems);
      if (state.ResultWriter) checkResultWriter(state.ResultWriter, `${at}/ResultWriter`, problems);
    }
  }
}

const writerConfigValues: Record<string, string[]> = {
  Transformation: ['NONE', 'COMPACT', 'FLATTEN'],
  OutputType: ['JSON', 'JSONL'],
};

/** ResultWriter needs Resource with its parameters, a WriterConfig, or both, with known values. */
function checkResultWriter(writer: ResultWriter, at: string, problems: string[]): void {
  const exports = writer.Resource !== undefined;
  if (exports && writer.Parameters === undefined && writer.Arguments === undefined)
    problems.push(`SCHEMA_VALIDATION_FAILED: A ResultWriter with a Resource needs its Parameters at ${at}`);
  if (!exports && writer.WriterConfig === undefined)
    problems.push(
      `SCHEMA_VALIDATION_FAILED: A ResultWriter needs a Resource, a WriterConfig or both at ${at}`,
    );
  for (const [field, allowed] of Object.entries(writerConfigValues)) {
    const value = writer.WriterConfig?.[field];
    if (value !== undefined && !allowed.includes(value as string))
      problems.push(
        `SCHEMA_VALIDATION_FAILED: ${field} must be one of ${allowed.join(', ')} at ${at}/WriterConfig/${field}`,
      );
  }
}

function targetsOf(state: State): string[] {
  const s = state as unknown as Record<string, unknown>;
  const targets: string[] = [];
  if (typeof s.Next === 'string') targets.push(s.Next);
  if (state.Type === 'Choice') {
    for (const choice of state.Choices ?? []) targets.push(choice.Next);
    if (state.Default) targets.push(state.Default);
  }
  for (const catcher of (s.Catch as { Next: string }[] | undefined) ?? []) targets.push(catcher.Next);
  return targets;
}

/**
 * Parses and validates a definition as CreateStateMachine does: JSON, the ASL schema
 * (asl-validator), then transitions and reachability. Throws `InvalidDefinitionError`.
 */
export function parseDefinition(text: string): StateMachineDefinition {
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new InvalidDefinitionError([`INVALID_JSON_DESCRIPTION: ${(error as Error).message}`]);
  }
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new InvalidDefinitionError(['SCHEMA_VALIDATION_FAILED: The definition must be a JSON object']);
  }
  const problems: string[] = [];
  const { isValid, errors } = aslValidator(definition, { checkArn: false, checkPaths: true });
  if (!isValid) {
    for (const error of errors) {
      problems.push(`${error['Error code'] ?? 'SCHEMA_VALIDATION_FAILED'}: ${error.Message ?? 'invalid'}`);
    }
  }
  const machine = definition as Machine;
  if (typeof machine.StartAt !== 'string' || !machine.States || typeof machine.States !== 'object') {
    problems.push("SCHEMA_VALIDATION_FAILED: The definition needs 'StartAt' and 'States'");
  } else {
    checkMachine(machine, '', problems);
  }
  if (problems.length) throw new InvalidDefinitionError([...new Set(problems)]);
  return { ...machine, QueryLanguage: machine.QueryLanguage ?? 'JSONPath' };
}
