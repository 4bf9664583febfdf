import type pg from 'pg';
import type { Dataset } from '../../workflow/datasets/dataset.ts';
import { query } from '../shared/db.ts';
import { describeDatabaseRefusal, isValueRefusal } from '../shared/db-errors.ts';
import type { LoadResult, RejectedRow, Row, StagedBatch } from '../shared/schemas.ts';
import { escapeUnstorable, escapeUnstorableText } from '../shared/unstorable.ts';

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

interface RejectRecord {
  item_index: number;
  stage: RejectedRow['stage'];
  reasons: string[];
  raw: unknown;
}

/**
 * A rejected row as the rejects table stores it. Raw records and reasons go through
 * escapeUnstorable: a reject is often refused *because* it holds a NUL or a lone surrogate, and a
 * reason may quote the value, yet jsonb and text can hold neither.
 */
function rejectRecord(row: RejectedRow): RejectRecord {
  return {
    item_index: row.index,
    stage: row.stage,
    reasons: row.reasons.map(escapeUnstorableText),
    raw: escapeUnstorable(row.raw ?? null),
  };
}

/** One run of the load statement: upserts `rows`, stores `rejected`. */
async function runLoad(
  pool: pg.Pool,
  sql: string,
  file: string,
  dataset: Dataset,
  rows: readonly Row[],
  rejected: readonly RejectRecord[],
): Promise<void> {
  await query(pool, sql, [
    JSON.stringify(rows.map((row) => row.data)),
    file,
    rows.map((row) => row.index),
    dataset.name,
    JSON.stringify(rejected),
  ]);
}

/**
 * Loads `rows`; if PostgreSQL refuses a value in them, loads them in halves until each
 * refused row stands alone, and returns those rows rejected with PostgreSQL's words. Every
 * statement is an idempotent upsert, so the halves that load stay loaded; one bad row in 100
 * costs about 15 statements. Any other error (a lost connection) is thrown as it is, and the
 * batch is retried as a whole.
 */
async function loadAroundRefusals(
  load: (rows: readonly Row[]) => Promise<void>,
  rows: readonly Row[],
): Promise<RejectedRow[]> {
  if (rows.length === 0) return [];
  try {
    await load(rows);
    return [];
  } catch (error) {
    if (!isValueRefusal(error)) throw error;
    if (rows.length === 1) {
      const reason = `PostgreSQL: refused the row: ${describeDatabaseRefusal(error)}`;
      return [{ index: rows[0]!.index, stage: 'load', reasons: [reason], raw: rows[0]!.data }];
    }
    const middle = Math.ceil(rows.length / 2);
    return [
      ...(await loadAroundRefusals(load, rows.slice(0, middle))),
      ...(await loadAroundRefusals(load, rows.slice(middle))),
    ];
  }
}

/**
 * Loads one batch in one statement: upserts its rows on the natural key, tagged with the source
 * file, and stores its rejected rows. Loading the same batch again changes nothing.
 *
 * Validate already rejects what PostgreSQL cannot hold, but should PostgreSQL still refuse a
 * value (a data exception, SQLSTATE class 22, or a NOT NULL or CHECK constraint), the rows it
 * refuses are found and rejected with its message and the others load: a value is never a
 * reason to fail a batch.
 */
export async function loadBatch(batch: StagedBatch, dataset: Dataset, pool: pg.Pool): Promise<LoadResult> {
  const file = batch.BatchInput.file.id;
  const rows = lastPerKey(batch.rows, dataset).sort(keyOrder(dataset));
  let sql = statements.get(dataset);
  if (!sql) statements.set(dataset, (sql = loadStatement(dataset)));
  const statement = sql;
  const rejected = batch.rejected.map(rejectRecord);
  const result = { file, dataset: dataset.name };
  try {
    await runLoad(pool, statement, file, dataset, rows, rejected);
    return { ...result, loaded: rows.length, rejected: rejected.length };
  } catch (error) {
    if (!isValueRefusal(error)) throw error;
    const loadRows = (some: readonly Row[]) => runLoad(pool, statement, file, dataset, some, []);
    // The rows alone first: if they all load, PostgreSQL refused one of the batch's rejects, which
    // escapeUnstorable exists to prevent; the last statement then fails with DatabaseError.
    const refused = await loadAroundRefusals(loadRows, rows);
    await runLoad(pool, statement, file, dataset, [], [...rejected, ...refused.map(rejectRecord)]);
    return { ...result, loaded: rows.length - refused.length, rejected: rejected.length + refused.length };
  }
}
