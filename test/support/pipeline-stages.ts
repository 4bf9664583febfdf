import { cleanBatch } from '../../functions/clean/clean.ts';
import { enrichBatch } from '../../functions/enrich/enrich.ts';
import type { Batch, StagedBatch } from '../../functions/shared/schemas.ts';
import { transformBatch } from '../../functions/transform/transform.ts';
import { validateBatch } from '../../functions/validate/validate.ts';
import type { LookupPort } from '../../workflow/datasets/dataset.ts';
import { getDataset } from '../../workflow/datasets/index.ts';

/** Runs a batch through validate → clean → transform → enrich, as the item processor does. */
export async function stageBatch(batch: Batch, lookups: LookupPort): Promise<StagedBatch> {
  const dataset = getDataset(batch.BatchInput.dataset);
  const cleaned = cleanBatch(validateBatch(batch, dataset), dataset);
  return enrichBatch(transformBatch(cleaned, dataset), dataset, lookups);
}
