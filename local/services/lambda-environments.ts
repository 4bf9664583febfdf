import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LambdaContext } from './lambda-runner.ts';

/** The old-space heap of one environment, in MiB (a Lambda of 1 GB holds far more than a batch). */
const ENVIRONMENT_HEAP_MB = 192;

/**
 * What crosses into an environment: the event as JSON text, as the Lambda runtime receives it.
 *
 * A batch's JSON per Task of bench:e2e's pipeline (`Payload: {% $states.input %}`, `Output:
 * {% $states.result.Payload %}`), counted with JSON.parse/stringify wrapped: engine → environment
 * 0 encodes (the Payload's text is made once, `jsonText`) and 1 string copy (postMessage); in the
 * environment 1 decode (the event) and 1 encode (the result), as on Lambda; back 1 copy and 0
 * decodes (`parseWhenRead`: nothing looks inside). The Map Run encodes each batch once
 * (item-batcher.ts); an EXPRESS child writes it once more, escaped, as its ExecutionStarted line.
 */
export interface EnvironmentRequest {
  id: number;
  code: string;
  handler: string;
  event: string;
  deadline: number;
  context: Omit<LambdaContext, 'getRemainingTimeInMillis' | 'callbackWaitsForEmptyEventLoop'>;
}

/** The result's JSON text or the error, and what the invocation wrote (its log lines). */
export type EnvironmentReply = { id: number; logs: string[] } & (
  { result: string } | { error: { name: string; message: string; stack: string } }
);

/** What every environment is started with (its workerData). */
export interface EnvironmentOptions {
  /** Also write the functions' log lines to this process's output. */
  echoLogs: boolean;
}

/** An invocation's result as JSON text, and its log lines. */
export interface EnvironmentResult {
  text: string;
  logs: string[];
}

/** Function code run in an environment: a module URL and the name of its handler export. */
export interface IsolatedFunction {
  code: string;
  handler: string;
  environments: LambdaEnvironments;
}

interface Pending {
  resolve: (result: EnvironmentResult) => void;
  reject: (error: Error) => void;
}

/**
 * A handler's error as the runtime reports it, with the name Step Functions matches on, and what
 * the invocation logged before it failed.
 */
export class FunctionError extends Error {
  readonly logs: string[];
  constructor(name: string, message: string, stack: string, logs: string[]) {
    super(message);
    this.name = name;
    this.stack = stack;
    this.logs = logs;
  }
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Lambda execution environments as worker threads, so function code runs beside the engine on
 * another core and sees only JSON text, never the caller's objects. Each environment takes many
 * invocations at once (unlike Lambda's one): a pool the size of the machine, not of the
 * concurrency. Environments get `env` as their process.env, like a function's configuration. An
 * environment that dies fails what it was running with `Runtime.ExitError`, as Lambda reports
 * it, and a fresh one takes its place.
 */
export class LambdaEnvironments {
  readonly #slots: Slot[] = [];
  readonly #env: Record<string, string | undefined>;
  readonly #options: EnvironmentOptions;
  #nextId = 0;
  #closing = false;

  /**
   * `env` is the functions' configuration; their log lines come back with each result (the
   * local CloudWatch Logs) and reach this process's output only with `echoLogs`.
   */
  constructor(options: { size?: number; env: Record<string, string | undefined>; echoLogs?: boolean }) {
    this.#env = options.env;
    this.#options = { echoLogs: options.echoLogs ?? false };
    const size = options.size ?? Math.max(1, availableParallelism() - 1);
    for (let i = 0; i < size; i++) this.#slots.push(this.#start());
  }

  #start(): Slot {
    const worker = new Worker(new URL('./lambda-environment.ts', import.meta.url), {
      env: this.#env,
      workerData: this.#options,
      // A function's memory size: its heap is capped, so garbage is collected, not hoarded.
      resourceLimits: { maxOldGenerationSizeMb: ENVIRONMENT_HEAP_MB },
    });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: EnvironmentReply) => {
      const pending = slot.pending.get(reply.id);
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if (!pending) return;
      if ('result' in reply) pending.resolve({ text: reply.result, logs: reply.logs });
      else
        pending.reject(
          new FunctionError(reply.error.name, reply.error.message, reply.error.stack, reply.logs),
        );
    });
    let failure: Error | undefined;
    worker.on('error', (error) => (failure = error));
    worker.on('exit', (code) => {
      const reason = failure ? `${failure.name}: ${failure.message}` : `exit code ${code}`;
      for (const pending of slot.pending.values())
        pending.reject(new FunctionError('Runtime.ExitError', `The environment ended (${reason})`, '', []));
      slot.pending.clear();
      const index = this.#slots.indexOf(slot);
      if (!this.#closing && index !== -1) this.#slots[index] = this.#start();
    });
    // An idle environment does not keep the process alive; one at work does.
    worker.unref();
    return slot;
  }

  /** A function whose code runs in these environments. */
  function(code: URL | string, handler = 'handler'): IsolatedFunction {
    return { code: String(code), handler, environments: this };
  }

  /** Runs `fn` on the event's JSON text in the least busy environment; resolves to the result's. */
  invoke(
    fn: IsolatedFunction,
    event: string,
    context: EnvironmentRequest['context'],
    deadline: number,
  ): Promise<EnvironmentResult> {
    if (this.#closing) return Promise.reject(new Error('The Lambda environments are shut down'));
    const slot = this.#slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.#nextId++;
    const request: EnvironmentRequest = { id, code: fn.code, handler: fn.handler, event, deadline, context };
    return new Promise((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage(request);
    });
  }

  /** How many environments run the invocations. */
  get size(): number {
    return this.#slots.length;
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#slots.map(({ worker }) => worker.terminate()));
  }
}
