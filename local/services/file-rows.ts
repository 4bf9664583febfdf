import type pg from 'pg';
import { datasets } from '../../workflow/datasets/index.ts';

/** One rejected row as the load stage stored it. */
export interface RejectedRow {
  item_index: number;
  stage: string;
  reasons: string[];
  raw: unknown;
}

/** What one file loaded into its table and what it rejected, and why. */
export interface FileRows {
  file: string;
  table: string | null;
  loaded: number;
  rejected: number;
  /** The first rows loaded (by natural key) and rejected (by record number), `limit` of each. */
  rows: Record<string, unknown>[];
  rejects: RejectedRow[];
  /** Rejected rows counted by stage and reason; a row with two reasons counts under both. */
  rejectedByReason: { stage: string; reason: string; rows: number }[];
}

/** A pool or a client: both answer queries. */
export type Queryable = Pick<pg.Pool, 'query'>;

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Reads what the file `file` (the ledger's id, `s3://bucket/input/<dataset>/<name>#<etag>`) put in
 * PostgreSQL: `chute rows` prints it, the console's rows view serves it.
 */
export async function readFileRows(db: Queryable, file: string, limit: number): Promise<FileRows> {
  const dataset = datasets[file.split('/')[4] ?? '']; // s3://bucket/input/<dataset>/…
  const count = async (table: string) =>
    Number(
      (await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE source_file = $1`, [file]))
        .rows[0]?.n ?? 0,
    );
  const rows = dataset
    ? (
        await db.query<Record<string, unknown>>(
          `SELECT * FROM ${quote(dataset.table)} WHERE source_file = $1 ORDER BY ${dataset.naturalKey.map(quote).join(', ')} LIMIT $2`,
          [file, limit],
        )
      ).rows.map(({ source_file: _, ...row }) => row)
    : [];
  const rejects = (
    await db.query<RejectedRow>(
      'SELECT item_index, stage, reasons, raw FROM rejects WHERE source_file = $1 ORDER BY item_index LIMIT $2',
      [file, limit],
    )
  ).rows;
  const rejectedByReason = (
    await db.query<{ stage: string; reason: string; rows: number }>(
      `SELECT stage, reason, count(*)::int AS rows FROM rejects, unnest(reasons) AS reason
        WHERE source_file = $1 GROUP BY stage, reason ORDER BY rows DESC, stage, reason`,
      [file],
    )
  ).rows;
  return {
    file,
    table: dataset?.table ?? null,
    loaded: dataset ? await count(quote(dataset.table)) : 0,
    rejected: await count('rejects'),
    rows,
    rejects,
    rejectedByReason,
  };
}
