import { z } from 'zod';
import { RowStageNames, type RowStageName } from '../../workflow/resource-names.ts';

/**
 * The Distributed Map batch envelope and the shape rows take between stages.
 *
 * The ASL's ItemSelector gives every item its zero-based position in the file
 * (`$$.Map.Item.Index`), so a rejected row can always be traced back to its record.
 */

/** The file a batch came from: `id` tags every loaded and rejected row in PostgreSQL. */
export const SourceFileSchema = z.object({
  id: z.string().min(1),
  bucket: z.string().min(1),
  key: z.string().min(1),
  etag: z.string().optional(),
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

/** `BatchInput` of the ItemBatcher: the same for every batch of one file. */
export const BatchInputSchema = z.looseObject({
  file: SourceFileSchema,
  dataset: z.string().min(1),
  executionArn: z.string().min(1),
});
export type BatchInput = z.infer<typeof BatchInputSchema>;

/** One item as the ItemSelector shapes it: its index in the file and the raw record. */
export const ItemSchema = z.object({
  index: z.number().int().nonnegative(),
  value: z.unknown(),
});
export type Item = z.infer<typeof ItemSchema>;

/** What validate receives: `{ BatchInput, Items }` straight from the Distributed Map. */
export const BatchSchema = z.object({
  BatchInput: BatchInputSchema,
  Items: z.array(ItemSchema),
});
export type Batch = z.infer<typeof BatchSchema>;

/** The row stages (from the one list of functions in workflow/), as a rejected row names them. */
export const StageNames = RowStageNames;
export type StageName = RowStageName;

/** A row that a stage refused: data, not an error. Load stores it in the rejects table. */
export const RejectedRowSchema = z.object({
  index: z.number().int().nonnegative(),
  stage: z.enum(StageNames),
  reasons: z.array(z.string()).min(1),
  raw: z.unknown(),
});
export type RejectedRow = z.infer<typeof RejectedRowSchema>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A row still travelling through the stages; `data`'s shape depends on the stage and dataset,
 * which checks it. Here only "an object": z.record would check and copy every field of every row
 * at every stage, the costliest part of reading a batch.
 */
export const RowSchema = z.object({
  index: z.number().int().nonnegative(),
  data: z.custom<Record<string, unknown>>(isPlainObject, 'Expected an object of fields'),
});
export type Row = z.infer<typeof RowSchema>;

/** What validate, clean, transform and enrich return, and what clean … load receive. */
export const StagedBatchSchema = z.object({
  BatchInput: BatchInputSchema,
  rows: z.array(RowSchema),
  rejected: z.array(RejectedRowSchema),
});
export type StagedBatch = z.infer<typeof StagedBatchSchema>;

/** What load returns: small, so the Map's results stay far under the state size limit. */
export const LoadResultSchema = z.object({
  file: z.string(),
  dataset: z.string(),
  loaded: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
});
export type LoadResult = z.infer<typeof LoadResultSchema>;
