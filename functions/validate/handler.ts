import { getDataset } from '../../workflow/datasets/index.ts';
import { BatchSchema } from '../shared/schemas.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { validateBatch } from './validate.ts';

export const handler = stageHandler('validate', BatchSchema, (batch) =>
  validateBatch(batch, getDataset(batch.BatchInput.dataset)),
);
