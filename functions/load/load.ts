import type pg from 'pg';
import type { Dataset } from '../../workflow/datasets/dataset.ts';
import { query } from '../shared/db.ts';
import type { LoadResult, Row, StagedBatch } from '../shared/schemas.ts';

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Builds the load statement once per dataset: one statement, so one round trip and atomic without
 * BEGIN/COMMIT. Rows travel as one JSON parameter expanded by json_populate_recordset with the
 * table's own row type (no 65,535-parameter limit; PostgreSQL does the type conversions) and are
 * upserted on the natural key; the rejects of rows loaded now are cleared (an earlier attempt may
 * have refused them: the newest verdict wins) and this batch's rejects are upserted.
 * $1 rows, $2 source file, $3 indexes of the rows, $4 dataset, $5 rejects.
 */
function loadStatement(dataset: Dataset): string {
  const columns = dataset.columns.map(quote);
  const key = new Set(dataset.naturalKey);
  const updates = [...dataset.columns.filter((c) => !key.has(c)), 'source_file']
    .map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`)
    .concat('"loaded_at" = now()');
  return `WITH loaded AS (
      INSERT INTO ${quote(dataset.table)} (${columns.join(', ')}, "source_file")
      SELECT ${columns.join(', ')}, $2 FROM json_populate_recordset(NULL::${quote(dataset.table)}, $1::json)
      ON CONFLICT (${dataset.naturalKey.map(quote).join(', ')}) DO UPDATE SET ${updates.join(', ')}
    ), cleared AS (
      DELETE FROM rejects WHERE source_file = $2 AND item_index = ANY($3::integer[])
    ), refused AS (
      INSERT INTO rejects (source_file, item_index, dataset, stage, reasons, raw)
      SELECT $2, r.item_index, $4, r.stage, r.reasons, r.raw
      FROM json_to_recordset($5::json) AS r(item_index integer, stage text, reasons text[], raw jsonb)
      ON CONFLICT (source_file, item_index) DO UPDATE
      SET dataset = EXCLUDED.dataset, stage = EXCLUDED.stage, reasons = EXCLUDED.reasons,
          raw = EXCLUDED.raw, rejected_at = now()
    )
    SELECT 1`;
}

const statements = new WeakMap<Dataset, string>();

/** Natural-key order: every batch locks rows in the same order, so overlapping batches cannot deadlock. */
function keyOrder(dataset: Dataset): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const column of dataset.naturalKey) {
      const [x, y] = [String(a.data[column]), String(b.data[column])];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

/** Keeps the last row per natural key: one statement may not update the same row twice. */
function lastPerKey(rows: readonly Row[], dataset: Dataset): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) byKey.set(JSON.stringify(dataset.naturalKey.map((c) => row.data[c])), row);
  return [...byKey.values()];
}

/**
 * Loads one batch in one statement: upserts its rows on the natural key, tagged with the source
 * file, and stores its rejected rows. Loading the same batch again changes nothing.
 */
export async function loadBatch(batch: StagedBatch, dataset: Dataset, pool: pg.Pool): Promise<LoadResult> {
  const file = batch.BatchInput.file.id;
  const rows = lastPerKey(batch.rows, dataset).sort(keyOrder(dataset));
  let sql = statements.get(dataset);
  if (!sql) statements.set(dataset, (sql = loadStatement(dataset)));
  const rejected = batch.rejected.map((r) => ({
    item_index: r.index,
    stage: r.stage,
    reasons: r.reasons,
    raw: r.raw ?? null,
  }));
  await query(pool, sql, [
    JSON.stringify(rows.map((row) => row.data)),
    file,
    rows.map((row) => row.index),
    dataset.name,
    JSON.stringify(rejected),
  ]);
  return { file, dataset: dataset.name, loaded: rows.length, rejected: batch.rejected.length };
}
