import type { Dataset, LookupPort } from '../../workflow/datasets/dataset.ts';
import type { RejectedRow, Row, StagedBatch } from '../shared/schemas.ts';

/** Adds looked-up columns to the whole batch: the dataset runs one query per lookup, never one per row. */
export async function enrichBatch(
  batch: StagedBatch,
  dataset: Dataset,
  lookups: LookupPort,
): Promise<StagedBatch> {
  if (batch.rows.length === 0) return batch;
  const results = await dataset.enrich(
    batch.rows.map((row) => row.data),
    lookups,
  );
  const rows: Row[] = [];
  const rejected: RejectedRow[] = [...batch.rejected];
  batch.rows.forEach((row, i) => {
    const result = results[i]!;
    if (result.ok) rows.push({ index: row.index, data: result.value });
    else rejected.push({ index: row.index, stage: 'enrich', reasons: result.reasons, raw: row.data });
  });
  return { BatchInput: batch.BatchInput, rows, rejected };
}
