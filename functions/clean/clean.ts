import type { Dataset } from '../../workflow/datasets/dataset.ts';
import type { RejectedRow, Row, StagedBatch } from '../shared/schemas.ts';

const emptyRow = 'empty row: every field is blank';

/**
 * Normalises each row with the dataset's clean rules and dedupes the batch on the dataset's key.
 * The last occurrence wins, as a later line of a file would on upsert; the earlier ones are
 * rejected with the reason. A row the dataset finds empty (every field blank, such as `,,,,,,`)
 * is rejected as an `empty row`: the ItemReader counted it as an item, so dropping it would
 * break "rows in = loaded + rejected + dead-lettered". Blank lines are no items at all (the item
 * readers skip them), so they are not rows of the file and never reach a stage.
 */
export function cleanBatch(batch: StagedBatch, dataset: Dataset): StagedBatch {
  const rejected: RejectedRow[] = [...batch.rejected];
  const byKey = new Map<string, { row: Row; raw: Row['data'] }>();
  for (const row of batch.rows) {
    const result = dataset.clean(row.data);
    if (result === null) {
      rejected.push({ index: row.index, stage: 'clean', reasons: [emptyRow], raw: row.data });
      continue;
    }
    if (!result.ok) {
      rejected.push({ index: row.index, stage: 'clean', reasons: result.reasons, raw: row.data });
      continue;
    }
    const key = dataset.dedupeKey(result.value);
    const earlier = byKey.get(key);
    if (earlier) {
      rejected.push({
        index: earlier.row.index,
        stage: 'clean',
        reasons: [`duplicate: superseded by record ${row.index} with the same key`],
        raw: earlier.raw,
      });
      byKey.delete(key);
    }
    byKey.set(key, { row: { index: row.index, data: result.value as Row['data'] }, raw: row.data });
  }
  const rows = [...byKey.values()].map((kept) => kept.row).sort((a, b) => a.index - b.index);
  return { BatchInput: batch.BatchInput, rows, rejected };
}
