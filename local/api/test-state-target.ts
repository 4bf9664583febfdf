import { compileDefinition } from '../engine/compile/compile-machine.ts';
import type { CompiledMachine } from '../engine/compile/compiled-machine.ts';
import { InvalidDefinitionError, parseDefinition } from '../engine/definition/parse-definition.ts';
import { ApiError } from './api-error.ts';

/**
 * The name TestState gives a state passed alone (`$$.State.Name`), as AWS answered in LocalStack's
 * recordings (tests/aws/services/stepfunctions/v2/test_state/test_state_configuration.snapshot.json).
 */
export const SINGLE_STATE_NAME = 'StateName';

/** The state a TestState request tests, compiled, with the (sub)machine that holds it. */
export interface TestStateTarget {
  machine: CompiledMachine;
  stateName: string;
}

function parsed(text: string) {
  try {
    return parseDefinition(text);
  } catch (error) {
    if (error instanceof InvalidDefinitionError) throw new ApiError('InvalidDefinition', error.message);
    throw error;
  }
}

/** Where a state sends control: the placeholders a lone state needs to be a valid machine. */
function targetsOf(state: Record<string, unknown>): string[] {
  const targets: unknown[] = [state.Next, state.Default];
  for (const rule of [state.Choices, state.Catch])
    if (Array.isArray(rule)) targets.push(...rule.map((r) => r?.Next));
  return targets.filter((target): target is string => typeof target === 'string');
}

/** A lone state made a machine, so the definition checks and the compiler take it as they are. */
function machineOfState(text: string): string {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    return text; // parseDefinition reports the JSON error as AWS does.
  }
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return text;
  const record = state as Record<string, unknown>;
  if ('States' in record || 'StartAt' in record)
    throw new ApiError(
      'InvalidDefinition',
      'The definition is a state machine: give stateName to say which of its states to test',
    );
  const placeholders = targetsOf(record)
    .filter((name) => name !== SINGLE_STATE_NAME)
    .map((name) => [name, { Type: 'Succeed' }]);
  return JSON.stringify({
    StartAt: SINGLE_STATE_NAME,
    States: { ...Object.fromEntries(placeholders), [SINGLE_STATE_NAME]: record },
  });
}

/** Finds a state by name in a machine, its Parallel branches and its Maps' processors. */
function holderOf(machine: CompiledMachine, name: string): CompiledMachine | undefined {
  if (machine.states.has(name)) return machine;
  for (const state of machine.states.values()) {
    const inner = state.type === 'Parallel' ? state.branches : state.type === 'Map' ? [state.processor] : [];
    for (const branch of inner) {
      const found = holderOf(branch, name);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Validates and compiles a TestState definition: one state alone, or a whole state machine with
 * `stateName` naming the state to test (which may sit in a branch or a Map's processor).
 */
export function resolveTestTarget(definition: string, stateName: string | undefined): TestStateTarget {
  if (stateName === undefined) {
    const machine = compileDefinition(parsed(machineOfState(definition)));
    return { machine, stateName: SINGLE_STATE_NAME };
  }
  const machine = compileDefinition(parsed(definition));
  const holder = holderOf(machine, stateName);
  if (!holder)
    throw new ApiError('ValidationException', `State '${stateName}' does not exist in the definition`);
  return { machine: holder, stateName };
}
