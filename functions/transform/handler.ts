import { getDataset } from '../../workflow/datasets/index.ts';
import { StagedBatchSchema } from '../shared/schemas.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { transformBatch } from './transform.ts';

export const handler = stageHandler('transform', StagedBatchSchema, (batch) =>
  transformBatch(batch, getDataset(batch.BatchInput.dataset)),
);
