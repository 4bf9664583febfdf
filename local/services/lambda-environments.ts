import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LambdaContext } from './lambda-runner.ts';

/** What crosses into an environment: the event as JSON text, as the Lambda runtime receives it. */
export interface EnvironmentRequest {
  id: number;
  code: string;
  handler: string;
  event: string;
  deadline: number;
  context: Omit<LambdaContext, 'getRemainingTimeInMillis' | 'callbackWaitsForEmptyEventLoop'>;
}

export type EnvironmentReply =
  { id: number; result: string } | { id: number; error: { name: string; message: string; stack: string } };

/** Function code run in an environment: a module URL and the name of its handler export. */
export interface IsolatedFunction {
  code: string;
  handler: string;
  environments: LambdaEnvironments;
}

interface Pending {
  resolve: (text: string) => void;
  reject: (error: Error) => void;
}

/** A handler's error as the runtime reports it, with the name Step Functions matches on. */
class FunctionError extends Error {
  constructor(name: string, message: string, stack: string) {
    super(message);
    this.name = name;
    this.stack = stack;
  }
}

/**
 * Lambda execution environments as worker threads, so function code runs beside the engine on
 * another core and sees only JSON text, never the caller's objects. Each environment takes many
 * invocations at once (unlike Lambda's one): a pool the size of the machine, not of the
 * concurrency. Environments get `env` as their process.env, like a function's configuration.
 */
export class LambdaEnvironments {
  readonly #workers: { worker: Worker; inFlight: number }[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;

  constructor(options: { size?: number; env: Record<string, string | undefined> }) {
    const size = options.size ?? Math.max(1, availableParallelism() - 1);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./lambda-environment.ts', import.meta.url), {
        env: { ...options.env },
      });
      const slot = { worker, inFlight: 0 };
      worker.on('message', (reply: EnvironmentReply) => {
        slot.inFlight--;
        const pending = this.#pending.get(reply.id);
        this.#pending.delete(reply.id);
        if (!pending) return;
        if ('result' in reply) pending.resolve(reply.result);
        else pending.reject(new FunctionError(reply.error.name, reply.error.message, reply.error.stack));
      });
      worker.on('error', (error) => this.#failAll(error));
      worker.unref();
      this.#workers.push(slot);
    }
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
  ): Promise<string> {
    const slot = this.#workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.#nextId++;
    slot.inFlight++;
    const request: EnvironmentRequest = { id, code: fn.code, handler: fn.handler, event, deadline, context };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      slot.worker.postMessage(request);
    });
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  async close(): Promise<void> {
    this.#failAll(new Error('The Lambda environments were shut down'));
    await Promise.all(this.#workers.map(({ worker }) => worker.terminate()));
  }
}
