import type { Dataset } from '../../workflow/datasets/dataset.ts';
import type { Batch, RejectedRow, Row, StagedBatch } from '../shared/schemas.ts';
import { escapeUnstorable, findUnstorable } from '../shared/unstorable.ts';

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  const field = issue.path.map(String).join('.') || 'record';
  return issue.message.endsWith('received undefined') ? `${field}: is missing` : `${field}: ${issue.message}`;
}

/**
 * Checks each raw item: text PostgreSQL cannot store or that the file's bytes did not say (NUL,
 * lone surrogates, undecodable bytes) and numbers that are not finite are rejected first, with those
 * reasons only (a UTF-16 file's missing columns would just be noise); then the dataset's schema.
 */
export function validateBatch(batch: Batch, dataset: Dataset): StagedBatch {
  const rows: Row[] = [];
  const rejected: RejectedRow[] = [];
  for (const item of batch.Items) {
    const unstorable = findUnstorable(item.value);
    if (unstorable.length > 0) {
      // Escaped now: from here on the record is only the rejects table's copy; an Infinity would
      // become null in the JSON between stages, and SQS refuses a NUL in a dead letter.
      rejected.push({
        index: item.index,
        stage: 'validate',
        reasons: unstorable,
        raw: escapeUnstorable(item.value),
      });
      continue;
    }
    const parsed = dataset.rawSchema.safeParse(item.value);
    if (parsed.success) {
      rows.push({ index: item.index, data: parsed.data as Row['data'] });
    } else {
      const reasons = parsed.error.issues.map(describeIssue);
      rejected.push({ index: item.index, stage: 'validate', reasons, raw: item.value });
    }
  }
  return { BatchInput: batch.BatchInput, rows, rejected };
}
