import type { Clock, TaskRunner } from '../engine/ports.ts';
import type { LogGroups } from '../services/log-groups.ts';
import type { Account } from './arns.ts';
import type { Executions } from './executions.ts';
import type { StateStore } from './store/state-store.ts';
import type { TaskTokens } from './task-tokens.ts';

/** What every action gets. */
export interface ApiServices {
  store: StateStore;
  executions: Executions;
  account: Account;
  /** Runs Task resources: TestState calls an integration through it when no mock is given. */
  taskRunner: TaskRunner;
  clock: Clock;
  now(): number;
  /** Tasks waiting for SendTask* and activity tasks waiting for workers. */
  taskTokens: TaskTokens;
  /** How long GetActivityTask holds a poll with no task (60 s as on AWS). */
  activityPollMs: number;
  /** The log groups state machines with a logging configuration write their executions to. */
  logGroups: LogGroups;
}

/** One Step Functions action: a zod schema for its request and the function that answers it. */
export interface Action<I = unknown> {
  schema: {
    safeParse(
      data: unknown,
    ):
      | { success: true; data: I }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  };
  run(input: I, services: ApiServices): Promise<unknown>;
}

export const defineAction = <I>(action: Action<I>): Action<I> => action;
