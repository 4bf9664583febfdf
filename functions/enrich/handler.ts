import { getDataset } from '../../workflow/datasets/index.ts';
import { createLookupPort, getPool } from '../shared/db.ts';
import { StagedBatchSchema } from '../shared/schemas.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { enrichBatch } from './enrich.ts';

export const handler = stageHandler('enrich', StagedBatchSchema, async (batch) =>
  enrichBatch(batch, getDataset(batch.BatchInput.dataset), createLookupPort(await getPool())),
);
