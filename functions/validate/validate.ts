import type { Dataset } from '../../workflow/datasets/dataset.ts';
import type { Batch, RejectedRow, Row, StagedBatch } from '../shared/schemas.ts';

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  const field = issue.path.map(String).join('.') || 'record';
  return issue.message.endsWith('received undefined') ? `${field}: is missing` : `${field}: ${issue.message}`;
}

/** Checks each raw item against the dataset's schema; items that do not fit are rejected with reasons. */
export function validateBatch(batch: Batch, dataset: Dataset): StagedBatch {
  const rows: Row[] = [];
  const rejected: RejectedRow[] = [];
  for (const item of batch.Items) {
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
