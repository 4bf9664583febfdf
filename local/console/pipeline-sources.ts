import type { LedgerItem } from '../../workflow/ledger-item.ts';
import type { AwsClients } from '../services/aws-clients.ts';
import { listDeadLetters, type DeadLetterEntry } from '../services/dead-letters.ts';
import { readFileRows, type Queryable } from '../services/file-rows.ts';
import type { FunctionLogs } from '../services/function-logs.ts';
import { ledgerEntriesOf } from '../services/ledger-entries.ts';
import type { PipelineViewSources } from './pipeline-views.ts';

/** A dead letter as the console shows it: what failed and where, without the batch's rows. */
const summary = (entry: DeadLetterEntry): DeadLetterEntry => {
  if (!entry.letter) return { ...entry, raw: entry.raw.slice(0, 2000) };
  return { ...entry, letter: { ...entry.letter, batch: undefined }, raw: '' };
};

/**
 * The pipeline views read from what `chute` reads: the ledger table as `chute rows` finds a
 * file, PostgreSQL through the same query as `chute rows`, the queue as `chute dlq list` does,
 * and the functions' logs the local Lambda environments kept.
 */
export function pipelineViewSources(options: {
  clients: AwsClients;
  ledgerTable: string;
  deadLetterQueueUrl: string;
  db: Queryable;
  functionLogs: FunctionLogs;
}): PipelineViewSources {
  return {
    ledger: (executionArn): Promise<LedgerItem[]> =>
      ledgerEntriesOf(options.clients.dynamodb, options.ledgerTable, executionArn),
    rows: (file, limit) => readFileRows(options.db, file, limit),
    // A letter belongs to the pipeline execution a redrive reruns, and to the child that failed.
    deadLetters: async (executionArn) =>
      (await listDeadLetters(options.clients, options.deadLetterQueueUrl))
        .filter((entry) => entry.parentExecution === executionArn || entry.letter?.execution === executionArn)
        .map(summary),
    logs: (executionArn) => options.functionLogs.ofExecution(executionArn),
  };
}
