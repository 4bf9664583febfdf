import { getDataset } from '../../workflow/datasets/index.ts';
import { StagedBatchSchema } from '../shared/schemas.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { cleanBatch } from './clean.ts';

export const handler = stageHandler('clean', StagedBatchSchema, (batch) =>
  cleanBatch(batch, getDataset(batch.BatchInput.dataset)),
);
