import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';

/**
 * One file's entry in the ledger table, as the state machine writes it (asl/pipeline.asl.json:
 * claimed RUNNING, then SUCCEEDED with counts, REJECTED or FAILED with an error).
 */
export const LedgerItemSchema = z.looseObject({
  /** The file's id: `s3://bucket/key#etag`. */
  pk: z.string(),
  status: z.string().optional(),
  /** The execution that claimed the file: for a file of a batch, the batch's execution. */
  executionArn: z.string().optional(),
  /** A file of a batch: `<execution id>#<record index>`, which lets a redrive re-claim it. */
  claim: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  loaded: z.number().optional(),
  rejected: z.number().optional(),
  error: z.string().optional(),
});
export type LedgerItem = z.infer<typeof LedgerItemSchema>;

/** A ledger item as DynamoDB returns it, as plain values. */
export function ledgerItemOf(item: Record<string, AttributeValue>): LedgerItem {
  return LedgerItemSchema.parse(unmarshall(item));
}
