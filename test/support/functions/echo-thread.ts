// A Lambda handler for the environment tests: reports where it ran and what it was given.
import { threadId } from 'node:worker_threads';

export const handler = async (event: { fail?: string; mutate?: boolean; items?: unknown[] }) => {
  if (event.fail) {
    const error = new Error(`asked to fail: ${event.fail}`);
    error.name = event.fail;
    throw error;
  }
  if (event.mutate) event.items?.push('changed by the function');
  return { threadId, event, env: process.env.CHUTE_TEST_SETTING ?? null };
};

export const notAFunction = 42;

/** Ends its environment mid-invocation, as a function calling process.exit would. */
export const exits = async () => {
  process.exit(3);
};
