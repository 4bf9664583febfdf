import type { z } from 'zod';

/** Reference data enrich looks up, fetched once per batch through this port (never per row). */
export interface LookupPort {
  /** Runs one parameterised read-only query and returns its rows. */
  query<T extends Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<T[]>;
}

/** A row-level verdict: either the value or the reasons it was refused. */
export type RowResult<T> = { ok: true; value: T } | { ok: false; reasons: string[] };

/**
 * Everything Chute knows about one dataset. Adding a dataset is adding one module that exports
 * one of these and registering it in `workflow/datasets/index.ts`.
 */
export interface Dataset<
  Raw = unknown,
  Clean = unknown,
  TableRow extends Record<string, unknown> = Record<string, unknown>,
> {
  /** The dataset's name, which is also its S3 prefix: `input/<name>/`. */
  readonly name: string;
  /** File formats the dataset accepts. */
  readonly formats: readonly ('csv' | 'json' | 'jsonl')[];
  /** Shape of one raw record as the ItemReader delivers it (CSV values arrive as strings). */
  readonly rawSchema: z.ZodType<Raw>;
  /** Trim and normalise one raw record; `null` says it is empty (clean rejects it as an empty row). */
  clean(raw: Raw): RowResult<Clean> | null;
  /** Key used to drop duplicates inside one batch after cleaning. */
  dedupeKey(row: Clean): string;
  /** Map a clean record to the target table's row (before enrichment). */
  transform(row: Clean): RowResult<TableRow>;
  /** Add looked-up columns to a whole batch with one query per lookup. */
  enrich(rows: readonly TableRow[], lookups: LookupPort): Promise<RowResult<TableRow>[]>;
  /** Target table, its columns in load order (without the `source_file` column load adds), and natural key. */
  readonly table: string;
  readonly columns: readonly (keyof TableRow & string)[];
  readonly naturalKey: readonly (keyof TableRow & string)[];
}
