import { describe, expect, it } from '@jest/globals';
import { readStepFunctionsLocalSettings } from '../../../local/cli/step-functions-local-settings.ts';

// Step Functions Local's settings: https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-config-options.html
describe("Step Functions Local's settings", () => {
  it('leaves everything to the defaults when none is set', () => {
    const settings = readStepFunctionsLocalSettings({});

    expect(settings).toEqual({ account: {}, clients: {}, unused: [] });
  });

  it('reads the account, region, wait scale and mock config', () => {
    const settings = readStepFunctionsLocalSettings({
      AWS_ACCOUNT_ID: '123456789012',
      AWS_DEFAULT_REGION: 'eu-west-1',
      WAIT_TIME_SCALE: '0.5',
      SFN_MOCK_CONFIG: 'mocks.json',
    });

    expect(settings).toMatchObject({
      account: { accountId: '123456789012', region: 'eu-west-1' },
      waitTimeScale: 0.5,
      mockConfigPath: 'mocks.json',
    });
  });

  it.each([
    [{ WAIT_TIME_SCALE: 'fast' }, /WAIT_TIME_SCALE must be a number of at least 0, not 'fast'/],
    [{ WAIT_TIME_SCALE: '-1' }, /WAIT_TIME_SCALE must be a number of at least 0/],
    [{ AWS_ACCOUNT_ID: 'mine' }, /AWS_ACCOUNT_ID must be 12 digits, not 'mine'/],
  ])('refuses %j', (env, message) => {
    expect(() => readStepFunctionsLocalSettings(env)).toThrow(message);
  });
});
