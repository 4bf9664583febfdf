import { BoundedLog } from './bounded-log.ts';

/** One Lambda invocation's log, as CloudWatch Logs would hold it in the function's log group. */
export interface FunctionInvocationLog {
  requestId: string;
  functionName: string;
  /** The execution and state whose Task invoked it (absent for an invocation of no execution). */
  executionArn?: string;
  stateName?: string;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  /** The error type the function failed with, if it did. */
  error?: string;
  /** START, what the function wrote (Powertools' JSON lines, console output), END and REPORT. */
  lines: string[];
}

/** Lines kept of one invocation's output; past it, a line says how many were left out. */
export const MAX_LINES_PER_INVOCATION = 500;
/** A line longer than this is cut (a logged batch): what CloudWatch keeps of an event is 256 KB. */
export const MAX_LINE_LENGTH = 8192;
const DEFAULT_BUDGET = 8 * 2 ** 20;

const sizeOf = (log: FunctionInvocationLog) => log.lines.reduce((sum, line) => sum + line.length, 256);

/**
 * The function's own lines framed as Lambda frames them in CloudWatch Logs: START, END and REPORT
 * around each invocation (https://docs.aws.amazon.com/lambda/latest/operatorguide/log-structure.html).
 * The environments are threads shared by many invocations, so REPORT has no Max Memory Used.
 */
export function cloudWatchLines(
  invocation: { requestId: string; durationMs: number; memoryMb: number },
  output: string[],
): string[] {
  const { requestId, durationMs, memoryMb } = invocation;
  return [
    `START RequestId: ${requestId} Version: $LATEST`,
    ...output,
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${memoryMb} MB`,
  ];
}

/**
 * The latest invocations' logs, by execution, oldest out first past a budget of text: the local
 * cloud's stand-in for CloudWatch Logs, kept in memory (a restart starts it empty).
 */
export class FunctionLogs {
  readonly #log: BoundedLog<FunctionInvocationLog>;

  constructor(budget = DEFAULT_BUDGET) {
    this.#log = new BoundedLog(budget);
  }

  record(log: FunctionInvocationLog): void {
    this.#log.add(log, sizeOf(log), [log.executionArn ?? '']);
  }

  /** The invocations a given execution made, in the order they ended. */
  ofExecution(executionArn: string): readonly FunctionInvocationLog[] {
    return this.#log.byKey(executionArn);
  }
}
