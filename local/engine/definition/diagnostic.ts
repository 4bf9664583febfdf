/**
 * One problem found in a definition, as `ValidateStateMachineDefinition` reports it.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
 */
export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  /** `/States/<StateName>/<FieldName>`, when the problem has a place. */
  location?: string;
}

export const DiagnosticCodes = {
  InvalidJson: 'INVALID_JSON_DESCRIPTION',
  Schema: 'SCHEMA_VALIDATION_FAILED',
  MissingTarget: 'MISSING_TRANSITION_TARGET',
  MissingEndState: 'MISSING_END_STATE',
  DuplicateStateName: 'DUPLICATE_STATE_NAME',
  InvalidStateName: 'INVALID_STATE_NAME',
  InvalidLabelName: 'INVALID_LABEL_NAME',
  DuplicateLabelName: 'DUPLICATE_LABEL_NAME',
  TooDeeplyNested: 'TOO_DEEPLY_NESTED',
  InvalidJsonata: 'INVALID_JSONATA_EXPRESSION',
  NoDollar: 'NO_DOLLAR',
} as const;

export const error = (code: string, message: string, location?: string): Diagnostic => ({
  severity: 'ERROR',
  code,
  message,
  ...(location !== undefined ? { location } : {}),
});

export const schemaError = (message: string, location?: string): Diagnostic =>
  error(DiagnosticCodes.Schema, message, location);

/**
 * A diagnostic as CreateStateMachine words it inside `Invalid State Machine Definition: '…'`:
 * `CODE: message at location`. AWS prints `at null` for a problem without a place (measured on
 * AWS, https://github.com/floci-io/floci/pull/2786); a JSON syntax error carries its own position.
 */
export function renderDiagnostic({ code, message, location }: Diagnostic): string {
  if (code === DiagnosticCodes.InvalidJson) return `${code}: ${message}`;
  return `${code}: ${message} at ${location ?? 'null'}`;
}
