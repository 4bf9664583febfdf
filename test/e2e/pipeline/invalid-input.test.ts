import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitForRun } from '../../../local/cli/wait-for-file.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';
import { startTestPipeline, type TestPipeline } from '../../support/local-pipeline.ts';

let database: ScratchDatabase;
let local: TestPipeline;
beforeAll(async () => {
  database = await createScratchDatabase();
  local = await startTestPipeline(database.url);
});
afterAll(async () => {
  await local.stop();
  await database.drop();
});

describe('the pipeline started by hand with an input that is not an upload', () => {
  it.each([
    '{}',
    '{"detail": {"bucket": {"name": "chute"}}}',
    '[1, 2]',
    '[]',
    '[{"eventSource": "aws:sqs", "body": {"not": "a string"}}]',
  ])(
    '%s fails at once, saying the input is neither an upload event nor a batch of them',
    async (input) => {
      const { executionArn } = await local.cloud.clients.sfn.send(
        new StartExecutionCommand({ stateMachineArn: local.pipeline.stateMachineArn, input }),
      );

      const run = await waitForRun(local.cloud.clients, executionArn!);

      expect(run).toMatchObject({ status: 'FAILED', error: 'InvalidInputError' });
      expect(run.cause).toContain('neither an S3 Object Created event nor an array of SQS records');
    },
    30_000,
  );
});
