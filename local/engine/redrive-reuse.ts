import type { Frame } from './frame.ts';

/**
 * What an inline Map's iterations or a Parallel's branches had finished when the state failed:
 * their outputs by index. A redrive of the execution starts at that state and reruns only the
 * others, as AWS does (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
 */
export interface FinishedWork {
  stateName: string;
  outputs: Record<number, unknown>;
}

const finishedOf = new WeakMap<object, FinishedWork>();

/**
 * Carries a failed state's finished work on its error. An enclosing Map or Parallel that fails
 * because of it records its own over it: a redrive starts at the outermost state.
 */
export function recordFinishedWork(error: unknown, work: FinishedWork): void {
  if (error !== null && typeof error === 'object') finishedOf.set(error, work);
}

export function finishedWorkOf(error: unknown): FinishedWork | undefined {
  return error !== null && typeof error === 'object' ? finishedOf.get(error) : undefined;
}

/**
 * The outputs to reuse when this state is the one a redrive starts at, handed out once (the state
 * may run again later in the same execution, and then runs whole).
 */
export function takeFinishedWork(frame: Frame, stateName: string): Record<number, unknown> | undefined {
  const reuse = frame.redriveReuse;
  if (!reuse || reuse.stateName !== stateName) return undefined;
  frame.redriveReuse = undefined;
  return reuse.outputs;
}
