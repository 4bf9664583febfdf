import type { Dataset } from '../../workflow/datasets/dataset.ts';
import type { RejectedRow, Row, StagedBatch } from '../shared/schemas.ts';

/** Maps each clean row to the target table's row shape. */
export function transformBatch(batch: StagedBatch, dataset: Dataset): StagedBatch {
  const rows: Row[] = [];
  const rejected: RejectedRow[] = [...batch.rejected];
  for (const row of batch.rows) {
    const result = dataset.transform(row.data);
    if (result.ok) rows.push({ index: row.index, data: result.value });
    else rejected.push({ index: row.index, stage: 'transform', reasons: result.reasons, raw: row.data });
  }
  return { BatchInput: batch.BatchInput, rows, rejected };
}
