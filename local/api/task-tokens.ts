import { randomUUID } from 'node:crypto';
import { StatesError } from '../engine/errors.ts';
import type { PendingCallback, TaskCallbacks } from '../engine/ports.ts';
import { ApiError } from './api-error.ts';

/** An activity task waiting for a worker, as GetActivityTask hands it out. */
export interface ActivityTask {
  taskToken: string;
  input: string;
}

interface Waiting {
  succeed(output: unknown): void;
  fail(error: StatesError): void;
  heartbeat(): void;
  /** Set for an activity task not yet taken by a worker. */
  activity?: { arn: string; task: ActivityTask; start(workerName: string | undefined): void };
}

/** A worker long-polling GetActivityTask. */
interface Poller {
  workerName: string | undefined;
  take(task: ActivityTask): void;
  /** Answers the poll with no task (its time is up, or the server closes). */
  release(): void;
}

const TOKEN_PREFIX = 'chute-task-token:';

/**
 * Task tokens of Tasks waiting for SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, and
 * the activity tasks waiting for a worker. In memory only: a restart fails the executions that
 * held them, so their tokens then answer TaskTimedOut like any token of a closed task.
 */
export class TaskTokens implements TaskCallbacks {
  readonly #waiting = new Map<string, Waiting>();
  /** Workers long-polling GetActivityTask, by activity ARN, oldest first. */
  readonly #pollers = new Map<string, Poller[]>();

  issue(request: { executionArn: string; activity?: { arn: string; input: string } }): PendingCallback {
    // Opaque to callers, as AWS's are, but recognisable so a malformed one is InvalidToken.
    const token = Buffer.from(`${TOKEN_PREFIX}${request.executionArn}:${randomUUID()}`).toString('base64');
    let heartbeats: (() => void)[] = [];
    let resolveStarted!: (workerName: string | undefined) => void;
    const started = new Promise<string | undefined>((resolve) => (resolveStarted = resolve));
    let waiting!: Waiting;
    const result = new Promise<unknown>((resolve, reject) => {
      waiting = {
        succeed: resolve,
        fail: reject,
        heartbeat() {
          const listeners = heartbeats;
          heartbeats = [];
          for (const listener of listeners) listener();
        },
      };
    });
    // An unclaimed rejection here is the engine's to handle (it awaits `result`), not the process's.
    result.catch(() => {});
    if (!request.activity) resolveStarted(undefined);
    else {
      const task = { taskToken: token, input: request.activity.input };
      waiting.activity = { arn: request.activity.arn, task, start: resolveStarted };
    }
    this.#waiting.set(token, waiting);
    if (waiting.activity) this.#offer(waiting.activity.arn);
    return {
      token,
      started,
      result,
      nextHeartbeat: () => new Promise<void>((resolve) => heartbeats.push(resolve)),
      close: () => void this.#waiting.delete(token),
    };
  }

  /** Hands the oldest activity task not yet taken to the oldest waiting poller, if both exist. */
  #offer(activityArn: string): void {
    const pollers = this.#pollers.get(activityArn);
    if (!pollers?.length) return;
    const poller = pollers[0]!;
    const task = this.#takeTask(activityArn, poller.workerName);
    if (!task) return;
    pollers.shift();
    poller.take(task);
  }

  #takeTask(activityArn: string, workerName: string | undefined): ActivityTask | undefined {
    for (const waiting of this.#waiting.values()) {
      const activity = waiting.activity;
      if (activity?.arn !== activityArn) continue;
      delete waiting.activity;
      activity.start(workerName);
      return activity.task;
    }
    return undefined;
  }

  /**
   * GetActivityTask: the oldest task of the activity, or the next one scheduled within
   * `pollMs`; undefined when none comes (AWS then answers an empty taskToken).
   */
  async poll(
    activityArn: string,
    workerName: string | undefined,
    pollMs: number,
  ): Promise<ActivityTask | undefined> {
    const ready = this.#takeTask(activityArn, workerName);
    if (ready) return ready;
    const pollers = this.#pollers.get(activityArn) ?? [];
    this.#pollers.set(activityArn, pollers);
    return new Promise((resolve) => {
      const poller: Poller = {
        workerName,
        take(task) {
          clearTimeout(timer);
          resolve(task);
        },
        release() {
          clearTimeout(timer);
          pollers.splice(pollers.indexOf(poller), 1);
          resolve(undefined);
        },
      };
      const timer = setTimeout(() => poller.release(), pollMs);
      pollers.push(poller);
    });
  }

  /** Answers every open poll with no task, so no poll timer outlives the server. */
  close(): void {
    for (const pollers of this.#pollers.values()) for (const poller of [...pollers]) poller.release();
  }

  /** SendTaskSuccess: the output, already parsed, becomes the Task's result. */
  succeed(token: string, output: unknown): void {
    const waiting = this.#find(token);
    this.#waiting.delete(token);
    waiting.succeed(output);
  }

  /** SendTaskFailure: the Task fails with this error and cause (Retry and Catch apply). */
  fail(token: string, error: string | undefined, cause: string | undefined): void {
    const waiting = this.#find(token);
    this.#waiting.delete(token);
    waiting.fail(new StatesError(error, cause));
  }

  /** SendTaskHeartbeat: restarts the Task's HeartbeatSeconds timer. */
  heartbeat(token: string): void {
    this.#find(token).heartbeat();
  }

  /**
   * A token we never issued is InvalidToken; one we issued whose Task has ended (answered, timed
   * out, its execution stopped or interrupted by a restart) is TaskTimedOut, as AWS answers for
   * a closed task (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html).
   */
  #find(token: string): Waiting {
    const waiting = this.#waiting.get(token);
    if (waiting) return waiting;
    if (!Buffer.from(token, 'base64').toString('utf8').startsWith(TOKEN_PREFIX))
      throw new ApiError('InvalidToken', 'Invalid token');
    throw new ApiError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
  }
}
