import type { Dataset } from '../../workflow/datasets/dataset.ts';
import type { Batch, RejectedRow, Row, StagedBatch } from '../shared/schemas.ts';

/** Checks each raw item against the dataset's schema; items that do not fit are rejected with reasons. */
export function validateBatch(batch: Batch, dataset: Dataset): StagedBatch {
  const rows: Row[] = [];
  const rejected: RejectedRow[] = [];
  for (const item of batch.Items) {
    const parsed = dataset.rawSchema.safeParse(item.value);
    if (parsed.success) {
      rows.push({ index: item.index, data: parsed.data as Row['data'] });
    } else {
      const reasons = parsed.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`);
      rejected.push({ index: item.index, stage: 'validate', reasons, raw: item.value });
    }
  }
  return { BatchInput: batch.BatchInput, rows, rejected };
}
