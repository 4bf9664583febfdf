import { DiagnosticCodes, error, renderDiagnostic, schemaError, type Diagnostic } from './diagnostic.ts';
import type { StateMachineDefinition, StateMachineType } from './types.ts';
import { validateDefinition } from './validate-definition.ts';

/**
 * A definition Step Functions would refuse, with every problem found, worded as CreateStateMachine
 * words it: `Invalid State Machine Definition: 'CODE: message at /States/…'`, several problems as
 * `''…', '…''` (Step Functions Local's answer to two problems, quoted in localstack's
 * `test_create_state_machines_in_parallel`).
 */
export class InvalidDefinitionError extends Error {
  override readonly name = 'InvalidDefinitionError';
  readonly problems: string[];
  /** Diagnostics, or problems already worded (`CODE: message at …`). */
  constructor(problems: readonly (Diagnostic | string)[]) {
    const rendered = problems.map((p) => (typeof p === 'string' ? p : renderDiagnostic(p)));
    const quoted = rendered.length === 1 ? rendered[0] : rendered.map((p) => `'${p}'`).join(', ');
    super(`Invalid State Machine Definition: '${quoted}'`);
    this.problems = rendered;
  }
}

/** The definition's JSON and its diagnostics, errors and warnings. */
function readDefinition(
  text: string,
  type: StateMachineType,
): { definition: unknown; diagnostics: Diagnostic[] } {
  if (text.trim() === '')
    return { definition: undefined, diagnostics: [schemaError('Definition must be a valid JSON object')] };
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (failure) {
    return { definition, diagnostics: [error(DiagnosticCodes.InvalidJson, (failure as Error).message)] };
  }
  try {
    return { definition, diagnostics: validateDefinition(definition, type) };
  } catch (failure) {
    // Nesting deep enough to exhaust the stack is AWS's TOO_DEEPLY_NESTED, not a crash.
    if (!(failure instanceof RangeError)) throw failure;
    return {
      definition,
      diagnostics: [error(DiagnosticCodes.TooDeeplyNested, 'The states are too deeply nested')],
    };
  }
}

/**
 * Every diagnostic of a definition's text, as ValidateStateMachineDefinition answers them. AWS
 * answers an empty definition with "Definition must be a valid JSON object" and unparseable text
 * with INVALID_JSON_DESCRIPTION (recorded on AWS:
 * https://github.com/localstack/localstack/blob/master/tests/aws/services/stepfunctions/v2/test_sfn_api_validation.snapshot.json).
 */
export const diagnoseDefinition = (text: string, type: StateMachineType = 'STANDARD'): Diagnostic[] =>
  readDefinition(text, type).diagnostics;

/**
 * Parses and validates a definition as CreateStateMachine does (JSON, every state's fields for
 * its type and query language, expressions, transitions, reachability). Throws
 * `InvalidDefinitionError` with every error found; warnings do not refuse a definition.
 */
export function parseDefinition(text: string, type: StateMachineType = 'STANDARD'): StateMachineDefinition {
  const { definition, diagnostics } = readDefinition(text, type);
  const errors = diagnostics.filter((d) => d.severity === 'ERROR');
  if (errors.length) throw new InvalidDefinitionError(errors);
  // Validated above: the JSON has the shape of a state machine definition.
  const machine = definition as StateMachineDefinition;
  return { ...machine, QueryLanguage: machine.QueryLanguage ?? 'JSONPath' };
}
