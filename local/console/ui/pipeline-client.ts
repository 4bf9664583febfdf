// The local cloud's read-only views of the pipeline (local/console/pipeline-views.ts). Where
// there is no pipeline (`chute stepfunctions`) they answer 404: the console hides their panels.

/** A file's entry in the ledger table. */
export interface LedgerEntry {
  pk: string;
  status?: string;
  executionArn?: string;
  startedAt?: string;
  finishedAt?: string;
  loaded?: number;
  rejected?: number;
  error?: string;
}

/** What a file loaded and rejected, and why (what `chute rows` prints). */
export interface FileRows {
  file: string;
  table: string | null;
  loaded: number;
  rejected: number;
  rows: Record<string, unknown>[];
  rejects: { item_index: number; stage: string; reasons: string[]; raw: unknown }[];
  rejectedByReason: { stage: string; reason: string; rows: number }[];
}

/** A message of the dead-letter queue, decoded (without its batch's rows). */
export interface DeadLetterEntry {
  messageId: string;
  sentAt?: string;
  letter?: {
    stage?: string;
    error?: string | null;
    cause?: string | null;
    file?: { bucket?: string; key?: string };
    execution?: string;
    parentExecution?: string;
  };
  parentExecution?: string;
  rows: number;
  raw: string;
}

// The server's own shape of an invocation's log (a type only: nothing of the server is bundled).
import type { FunctionInvocationLog } from '../../services/function-logs.ts';
export type { FunctionInvocationLog };

// Whether this server has a pipeline does not change while the page is open: asked once.
let noPipeline = false;

/** Reads a view; undefined when this local cloud has no pipeline. */
async function readView<T>(name: string, query: Record<string, string>): Promise<T | undefined> {
  if (noPipeline) return undefined;
  const response = await fetch(`/console/api/pipeline/${name}?${new URLSearchParams(query)}`);
  if (response.status === 404) {
    noPipeline = true;
    return undefined;
  }
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body as T;
}

/** The views, by what they show. */
export const pipeline = {
  ledger: (executionArn: string) => readView<{ entries: LedgerEntry[] }>('ledger', { executionArn }),
  rows: (file: string) => readView<FileRows>('rows', { file, limit: '10' }),
  deadLetters: (executionArn: string) =>
    readView<{ deadLetters: DeadLetterEntry[] }>('dead-letters', { executionArn }),
  logs: (executionArn: string) =>
    readView<{ invocations: FunctionInvocationLog[] }>('logs', { executionArn }),
};
