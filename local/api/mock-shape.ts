/**
 * TestState's `fieldValidationMode`: a mocked result is checked against the output shape of the
 * service API its Task calls, read from the AWS SDK's own models (the schemas each
 * `@aws-sdk/client-*` package exports). STRICT: required members present and present members of
 * the right type; PRESENT: present members of the right type; NONE: nothing.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html
 *
 * What the SDK's models carry, and so what is checked: member types (string, number, boolean,
 * timestamp, blob, list, map, structure, union) and which members are required. What they do not
 * carry, and so is NOT checked (AWS checks it): enum values, string and blob lengths, number ranges.
 * Members the API does not have are accepted, as AWS accepts them.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { ApiError } from './api-error.ts';

export type FieldValidationMode = 'STRICT' | 'PRESENT' | 'NONE';

type Client = Record<string, unknown>;

// The SDK clients the project installs; other services' results are not checked.
const clients: Record<string, () => Promise<Client>> = {
  lambda: () => import('@aws-sdk/client-lambda'),
  sqs: () => import('@aws-sdk/client-sqs'),
  sns: () => import('@aws-sdk/client-sns'),
  dynamodb: () => import('@aws-sdk/client-dynamodb'),
  s3: () => import('@aws-sdk/client-s3'),
  sfn: () => import('@aws-sdk/client-sfn'),
  secretsmanager: () => import('@aws-sdk/client-secrets-manager'),
};

/** Step Functions' optimized integrations → the API call whose output they return. */
const optimized: Record<string, [service: string, operation: string]> = {
  'lambda:invoke': ['lambda', 'Invoke'],
  'sqs:sendMessage': ['sqs', 'SendMessage'],
  'sns:publish': ['sns', 'Publish'],
  'dynamodb:getItem': ['dynamodb', 'GetItem'],
  'dynamodb:putItem': ['dynamodb', 'PutItem'],
  'dynamodb:updateItem': ['dynamodb', 'UpdateItem'],
  'dynamodb:deleteItem': ['dynamodb', 'DeleteItem'],
  'states:startExecution': ['sfn', 'StartExecution'],
  // `.sync` returns what the polling call answers (DescribeExecution), not StartExecution's output.
  'states:startExecution.sync': ['sfn', 'DescribeExecution'],
  'states:startExecution.sync:2': ['sfn', 'DescribeExecution'],
};

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The SDK client and operation a Task resource calls, if its result has a known shape. */
function operationOf(resource: string): [service: string, operation: string] | undefined {
  const match = /^arn:aws[\w-]*:states:::(.+)$/.exec(resource);
  if (!match) return undefined;
  const integration = match[1]!;
  const sdk = /^aws-sdk:([^:]+):([^.]+)$/.exec(integration);
  if (sdk) return [sdk[1]!, capitalised(sdk[2]!)];
  return optimized[integration];
}

const refuse = (problem: string) =>
  new ApiError('ValidationException', `Mock result schema validation error: ${problem}`);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Checks one value against its schema; `name` is the member it sits in, as AWS names it. */
function check(
  schema: NormalizedSchema,
  value: unknown,
  name: string,
  strict: boolean,
  anyPayload: boolean,
): void {
  if (value === undefined || value === null) return;
  const must = (kind: string, ok: boolean) => {
    if (!ok) throw refuse(`Field '${name}' must be ${kind}`);
  };
  if (schema.isDocumentSchema()) return;
  // AWS's wording for these is recorded (LocalStack's recordings of real AWS,
  // tests/aws/services/stepfunctions/v2/test_state/test_field_validation_mode.snapshot.json).
  if (schema.isBlobSchema()) return must('a string', anyPayload || typeof value === 'string');
  if (schema.isStringSchema() || schema.isTimestampSchema())
    return must('a string', typeof value === 'string');
  if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema())
    return must('a number', typeof value === 'number');
  if (schema.isBooleanSchema()) return must('a boolean', typeof value === 'boolean');
  if (schema.isListSchema()) {
    must('an array', Array.isArray(value));
    for (const item of value as unknown[]) check(schema.getValueSchema(), item, name, strict, false);
    return;
  }
  if (schema.isMapSchema()) {
    must('an object', isObject(value));
    for (const item of Object.values(value as object))
      check(schema.getValueSchema(), item, name, strict, false);
    return;
  }
  if (schema.isStructSchema()) {
    must('an object', isObject(value));
    checkStructure(schema, value as Record<string, unknown>, strict, false);
  }
}

function checkStructure(
  schema: NormalizedSchema,
  value: Record<string, unknown>,
  strict: boolean,
  lambdaInvoke: boolean,
): void {
  // A static structure schema lists its required members first and ends with their count.
  const required = (schema.getSchema() as unknown[])[6];
  let index = 0;
  for (const [member, memberSchema] of schema.structIterator()) {
    // Step Functions returns service outputs with PascalCase member names (`ExecutionArn`).
    const name = capitalised(member);
    const present = value[name] ?? value[member];
    if (strict && typeof required === 'number' && index < required && present == null)
      throw refuse(`Required field '${name}' is missing`);
    // A Lambda's Payload comes back as its JSON, any JSON (AWS's own mock examples give an object).
    check(memberSchema, present, name, strict, lambdaInvoke && name === 'Payload');
    index++;
  }
}

/**
 * Refuses (ValidationException, AWS's wording) a mocked result that does not fit the output of the
 * API the Task's resource calls. Resources whose output has no fixed shape (a Lambda function ARN,
 * `.waitForTaskToken`, activities, services whose SDK the project does not install) are not checked.
 */
export async function checkMockedResult(
  resource: string,
  result: unknown,
  mode: FieldValidationMode,
): Promise<void> {
  if (mode === 'NONE') return;
  const operation = operationOf(resource);
  const load = operation && clients[operation[0]];
  if (!operation || !load) return;
  const schemaOf = (await load())[`${operation[1]}$`];
  // The static operation schema: [9, namespace, name, traits, input, output].
  if (!Array.isArray(schemaOf)) return;
  const output = NormalizedSchema.of(schemaOf[5]);
  if (!isObject(result)) throw refuse('The mocked result must be a JSON object');
  checkStructure(output, result, mode === 'STRICT', operation.join(':') === 'lambda:Invoke');
}
