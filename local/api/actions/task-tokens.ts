import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import { defineAction } from '../services.ts';

// Limits from the API reference: taskToken 1–2048, error 0–256, cause 0–32768 characters.
const TaskToken = z.string().min(1).max(2048);

/**
 * SendTaskSuccess: the Task waiting under `taskToken` succeeds with `output`, which must be JSON
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html).
 */
export const sendTaskSuccess = defineAction({
  schema: z.object({ taskToken: TaskToken, output: z.string() }).loose(),
  async run(input, services) {
    let output: unknown;
    try {
      output = JSON.parse(input.output);
    } catch {
      throw new ApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    services.taskTokens.succeed(input.taskToken, output);
    return {};
  },
});

/** SendTaskFailure: the Task fails with `error` and `cause`, which its Retry and Catch see. */
export const sendTaskFailure = defineAction({
  schema: z
    .object({
      taskToken: TaskToken,
      error: z.string().max(256).optional(),
      cause: z.string().max(32768).optional(),
    })
    .loose(),
  async run(input, services) {
    services.taskTokens.fail(input.taskToken, input.error, input.cause);
    return {};
  },
});

/** SendTaskHeartbeat: restarts the Task's HeartbeatSeconds timer. */
export const sendTaskHeartbeat = defineAction({
  schema: z.object({ taskToken: TaskToken }).loose(),
  async run(input, services) {
    services.taskTokens.heartbeat(input.taskToken);
    return {};
  },
});
