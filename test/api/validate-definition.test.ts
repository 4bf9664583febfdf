import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateStateMachineCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { roleArn, startSfn, type RunningSfn } from '../support/sfn-server.ts';

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
// and AWS's answers recorded in localstack's test_sfn_api_validation.snapshot.json.
let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn();
});
afterAll(async () => {
  await sfn.close();
});

const validate = (definition: unknown, extra: object = {}) =>
  sfn.client.send(
    new ValidateStateMachineDefinitionCommand({
      definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
      ...extra,
    }),
  );

/** Three problems: two unknown fields and a dangling Next. */
const threeProblems = {
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Bogus: 1, Other: 2, Next: 'B' },
    B: { Type: 'Pass', Next: 'Nowhere' },
    C: { Type: 'Succeed' },
  },
};
const withWarning = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { id: '$.id' }, End: true } } };

describe('ValidateStateMachineDefinition as AWS answers it', () => {
  it('answers OK with no diagnostics and truncated false', async () => {
    const answer = await validate({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

    expect(answer).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
  });

  it('answers FAIL with code, message and location for each problem', async () => {
    const answer = await validate(threeProblems);

    expect(answer.result).toBe('FAIL');
    expect(answer.truncated).toBe(false);
    expect(answer.diagnostics).toEqual(
      expect.arrayContaining([
        {
          severity: 'ERROR',
          code: 'SCHEMA_VALIDATION_FAILED',
          message: "Field 'Bogus' is not supported",
          location: '/States/A',
        },
        {
          severity: 'ERROR',
          code: 'MISSING_TRANSITION_TARGET',
          message: "Missing 'Next' target: Nowhere",
          location: '/States/B/Next',
        },
      ]),
    );
  });

  it('honours maxResults and says the list is truncated', async () => {
    const answer = await validate(threeProblems, { maxResults: 2 });

    expect(answer.result).toBe('FAIL');
    expect(answer.diagnostics).toHaveLength(2);
    expect(answer.truncated).toBe(true);
  });

  it('shows warnings only when severity is WARNING; they do not fail the definition', async () => {
    const errorsOnly = await validate(withWarning);
    const withWarnings = await validate(withWarning, { severity: 'WARNING' });

    expect(errorsOnly).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
    expect(withWarnings.result).toBe('OK');
    expect(withWarnings.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        code: 'NO_DOLLAR',
        location: '/States/P/Parameters/id',
      }),
    ]);
  });

  it('answers an empty definition and one without StartAt as AWS recorded', async () => {
    expect(await validate('')).toMatchObject({
      result: 'FAIL',
      diagnostics: [
        {
          severity: 'ERROR',
          code: 'SCHEMA_VALIDATION_FAILED',
          message: 'Definition must be a valid JSON object',
        },
      ],
    });
    expect(await validate({ States: { P: { Type: 'Pass', End: true } } })).toMatchObject({
      result: 'FAIL',
      diagnostics: [
        {
          severity: 'ERROR',
          code: 'SCHEMA_VALIDATION_FAILED',
          message: 'These fields are required: [StartAt]',
          location: '/',
        },
      ],
    });
  });
  it('refuses .waitForTaskToken for an EXPRESS type only, in the words AWS recorded', async () => {
    const waits = {
      StartAt: 'SendMessageWithWait',
      States: {
        SendMessageWithWait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          End: true,
        },
      },
    };

    expect(await validate(waits, { type: 'STANDARD' })).toMatchObject({ result: 'OK' });
    expect(await validate(waits, { type: 'EXPRESS' })).toMatchObject({
      result: 'FAIL',
      diagnostics: [
        {
          severity: 'ERROR',
          code: 'SCHEMA_VALIDATION_FAILED',
          message: "Express state machine does not support '.waitForTaskToken' service integration ",
          location: '/States/SendMessageWithWait/Resource',
        },
      ],
    });
  });
});

describe('CreateStateMachine and UpdateStateMachine', () => {
  it('refuse an invalid definition with InvalidDefinition in AWS’s words', async () => {
    const bad = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Bogus: 1, End: true } } });
    const expected = {
      name: 'InvalidDefinition',
      message:
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported at /States/P'",
    };

    await expect(
      sfn.client.send(new CreateStateMachineCommand({ name: 'bogus', definition: bad, roleArn })),
    ).rejects.toMatchObject(expected);
    const { stateMachineArn } = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'good',
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
        roleArn,
      }),
    );
    await expect(
      sfn.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: bad })),
    ).rejects.toMatchObject(expected);
  });

  it('accept the JSONata and Distributed Map forms asl-validator refused', async () => {
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: true, Next: 'M' }], Assign: { list: [1, 2] } },
        M: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', End: true } },
          },
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            Arguments: { Bucket: 'b', Key: 'k' },
            ReaderConfig: { InputType: 'JSON', MaxItems: 0 },
          },
          ToleratedFailurePercentage: 2.5,
          Output: [1, 2],
          End: true,
        },
      },
    });

    const created = await sfn.client.send(
      new CreateStateMachineCommand({ name: 'jsonata-forms', definition, roleArn }),
    );

    expect(created.stateMachineArn).toBeDefined();
  });
});
