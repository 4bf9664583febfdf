import jsonata from 'jsonata';
import { isIntrinsic } from '../intrinsics/evaluate-intrinsic.ts';
import { DiagnosticCodes, error, schemaError, type Diagnostic } from './diagnostic.ts';
import { isJsonataForm, isJsonPath, isValidIntrinsic } from './field-schemas.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign…): a `.$` field
 * holds a path or an intrinsic function that parses; a plain field whose value looks like one is
 * AWS's NO_DOLLAR warning.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
 */
export function checkPayloadTemplate(value: unknown, at: string, found: Diagnostic[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkPayloadTemplate(item, `${at}[${i}]`, found));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, field] of Object.entries(value)) {
    const fieldAt = `${at}/${key}`;
    if (key.endsWith('.$')) {
      const valid =
        typeof field === 'string' && (isIntrinsic(field) ? isValidIntrinsic(field) : isJsonPath(field));
      if (!valid) {
        found.push(
          schemaError(
            `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`,
            fieldAt,
          ),
        );
      }
    } else if (typeof field === 'string' && (/^\$\$?\./.test(field) || isIntrinsic(field))) {
      found.push({
        severity: 'WARNING',
        code: DiagnosticCodes.NoDollar,
        message: `The value for the field '${key}' looks like a JSONPath or an intrinsic function, but its name does not end with '.$'`,
        location: fieldAt,
      });
    } else {
      checkPayloadTemplate(field, fieldAt, found);
    }
  }
}

/** Fields whose strings are never JSONata, and nested machines (their states are walked on their own). */
const notJsonata = new Set([
  'Comment',
  'Next',
  'Default',
  'Resource',
  'ErrorEquals',
  'Type',
  'QueryLanguage',
  'Branches',
  'ItemProcessor',
  'Iterator',
  'CSVHeaders',
  'Label',
]);

/**
 * Every `{% … %}` string of a JSONata state must parse: AWS refuses the definition with
 * INVALID_JSONATA_EXPRESSION (measured on AWS: https://github.com/floci-io/floci/issues/2670).
 */
export function checkJsonataExpressions(
  value: unknown,
  at: string,
  found: Diagnostic[],
  inPayload = false,
): void {
  if (isJsonataForm(value)) {
    try {
      jsonata(value.slice(2, -2));
    } catch (failure) {
      found.push(error(DiagnosticCodes.InvalidJsonata, (failure as Error).message, at));
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkJsonataExpressions(item, `${at}[${i}]`, found, inPayload));
  } else if (isObject(value)) {
    for (const [key, field] of Object.entries(value)) {
      if (inPayload || !notJsonata.has(key)) {
        checkJsonataExpressions(field, `${at}/${key}`, found, inPayload || payloadFields.has(key));
      }
    }
  }
}

/** Inside these, every key is the user's, whatever its name. */
const payloadFields = new Set(['Output', 'Assign', 'Arguments', 'ItemSelector', 'BatchInput', 'Parameters']);

/**
 * Variable names follow Unicode identifiers (ID_Start, then ID_Continue), at most 80 characters.
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 */
const variableName = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

export function checkVariableNames(assign: unknown, at: string, found: Diagnostic[]): void {
  if (!isObject(assign)) return;
  for (const key of Object.keys(assign)) {
    const name = key.endsWith('.$') ? key.slice(0, -2) : key;
    if (!variableName.test(name) || [...name].length > 80) {
      found.push(schemaError(`The variable name '${name}' is not valid`, `${at}/${key}`));
    }
  }
}
