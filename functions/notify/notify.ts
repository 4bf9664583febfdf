import type pg from 'pg';
import { z } from 'zod';
import type { Dataset } from '../../workflow/datasets/dataset.ts';
import { query } from '../shared/db.ts';
import { SourceFileSchema } from '../shared/schemas.ts';

/**
 * What the state machine passes to notify, once per file: the file, how the run went and, when
 * it failed, the error. Row counts are not passed in: notify reads them from PostgreSQL.
 */
export const NotifyInputSchema = z.object({
  file: SourceFileSchema,
  dataset: z.string().min(1),
  executionArn: z.string().min(1),
  startedAt: z.string().min(1),
  status: z.enum(['SUCCEEDED', 'FAILED']),
  /** Batches the Distributed Map counted as failed (from its result), when known. */
  failedBatches: z.number().int().nonnegative().optional(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});
export type NotifyInput = z.infer<typeof NotifyInputSchema>;

export interface FileSummary {
  file: string;
  dataset: string;
  status: 'SUCCEEDED' | 'FAILED';
  /** Rows PostgreSQL holds for the file; null when it could not be read (see countsUnknown). */
  loaded: number | null;
  rejected: number | null;
  /** Why the counts are missing: the failure notification goes out even with the database down. */
  countsUnknown?: string;
  /** Rejected rows counted by stage and field, e.g. `clean: order_date`. */
  rejectedByReason: Record<string, number>;
  failedBatches: number;
  durationSeconds: number;
  executionArn: string;
  error?: string;
  cause?: string;
}

/** A summary whose counts PostgreSQL gave. */
export type CountedSummary = FileSummary & { loaded: number; rejected: number };

/** Where notify sends its message (SNS in the handler). */
export interface Publisher {
  publish(message: { subject: string; body: string; attributes: Record<string, string> }): Promise<void>;
}

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/** Counts what PostgreSQL holds for the file: the truth, whatever the Map reported. */
export async function summariseFile(
  input: NotifyInput,
  dataset: Dataset | undefined,
  pool: pg.Pool,
  now: Date,
): Promise<CountedSummary> {
  const file = input.file.id;
  const count = (sql: string) =>
    query<{ n: string }>(pool, sql, [file]).then((rows) => Number(rows[0]?.n ?? 0));
  const [loaded, rejected, reasons] = await Promise.all([
    dataset ? count(`SELECT count(*) AS n FROM ${quote(dataset.table)} WHERE source_file = $1`) : 0,
    count('SELECT count(*) AS n FROM rejects WHERE source_file = $1'),
    query<{ reason: string; n: string }>(
      pool,
      `SELECT stage || ': ' || split_part(reason, ':', 1) AS reason, count(DISTINCT item_index) AS n
       FROM rejects, unnest(reasons) AS reason WHERE source_file = $1 GROUP BY 1 ORDER BY 2 DESC, 1`,
      [file],
    ),
  ]);
  return {
    file,
    dataset: input.dataset,
    status: input.status,
    loaded,
    rejected,
    rejectedByReason: Object.fromEntries(reasons.map((r) => [r.reason, Number(r.n)])),
    failedBatches: input.failedBatches ?? 0,
    durationSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(input.startedAt)) / 100) / 10),
    executionArn: input.executionArn,
    ...(input.error?.Error ? { error: input.error.Error } : {}),
    ...(input.error?.Cause ? { cause: input.error.Cause } : {}),
  };
}

/**
 * The summary of a failed run when PostgreSQL cannot be read: what the event says, the counts
 * marked unknown with the reason.
 */
export function summaryWithoutCounts(input: NotifyInput, now: Date, reason: unknown): FileSummary {
  return {
    file: input.file.id,
    dataset: input.dataset,
    status: input.status,
    loaded: null,
    rejected: null,
    countsUnknown: `the database could not be read: ${reason instanceof Error ? reason.message : String(reason)}`,
    rejectedByReason: {},
    failedBatches: input.failedBatches ?? 0,
    durationSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(input.startedAt)) / 100) / 10),
    executionArn: input.executionArn,
    ...(input.error?.Error ? { error: input.error.Error } : {}),
    ...(input.error?.Cause ? { cause: input.error.Cause } : {}),
  };
}

/** One line a person can read in a mail client's subject. */
export function subjectOf(summary: FileSummary): string {
  const name = summary.file.replace(/^s3:\/\/[^/]+\//, '').replace(/#.*$/, '');
  const counts =
    summary.loaded === null ? 'counts unknown' : `${summary.loaded} loaded, ${summary.rejected} rejected`;
  const text =
    summary.status === 'SUCCEEDED'
      ? `Chute: ${name} loaded (${counts})`
      : `Chute: ${name} FAILED (${counts}${summary.failedBatches ? `, ${summary.failedBatches} batches failed` : ''})`;
  return text.length > 100 ? `${text.slice(0, 99)}…` : text; // SNS subjects stop at 100 characters
}

/** Publishes a summary as the notification. */
export async function publishSummary(summary: FileSummary, publisher: Publisher): Promise<void> {
  await publisher.publish({
    subject: subjectOf(summary),
    body: JSON.stringify(summary, null, 2),
    attributes: { dataset: summary.dataset, status: summary.status },
  });
}

/** Publishes one summary of the file, success or failure, and returns it. */
export async function notifyFile(
  input: NotifyInput,
  deps: { dataset: Dataset | undefined; pool: pg.Pool; publisher: Publisher; now: () => Date },
): Promise<FileSummary> {
  const summary = await summariseFile(input, deps.dataset, deps.pool, deps.now());
  await publishSummary(summary, deps.publisher);
  return summary;
}

/**
 * The failure notification: the counts when PostgreSQL answers, otherwise what is known with
 * the counts marked unknown. It is never lost because the database is down (often the very
 * reason the run failed).
 */
export async function notifyFailure(
  input: NotifyInput,
  deps: { dataset: Dataset | undefined; pool: () => Promise<pg.Pool>; publisher: Publisher; now: () => Date },
): Promise<FileSummary> {
  const now = deps.now();
  const summary = await deps
    .pool()
    .then((pool) => summariseFile(input, deps.dataset, pool, now))
    .catch((error: unknown) => summaryWithoutCounts(input, now, error));
  await publishSummary(summary, deps.publisher);
  return summary;
}
