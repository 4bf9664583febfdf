import { getDataset } from '../../workflow/datasets/index.ts';
import { getPool } from '../shared/db.ts';
import { StagedBatchSchema } from '../shared/schemas.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { loadBatch } from './load.ts';

export const handler = stageHandler('load', StagedBatchSchema, async (batch) =>
  loadBatch(batch, getDataset(batch.BatchInput.dataset), await getPool()),
);
