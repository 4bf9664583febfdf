import { datasets } from '../../workflow/datasets/index.ts';
import { getPool } from '../shared/db.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { NotifyInputSchema, notifyFile } from './notify.ts';
import { snsPublisher } from './sns-publisher.ts';

// An unknown dataset still gets its failure notification, so the lookup does not throw here.
export const handler = stageHandler('notify', NotifyInputSchema, async (input) =>
  notifyFile(input, {
    dataset: datasets[input.dataset],
    pool: await getPool(),
    publisher: snsPublisher(),
    now: () => new Date(),
  }),
);
