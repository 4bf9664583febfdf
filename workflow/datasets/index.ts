import { customers } from './customers.ts';
import type { Dataset } from './dataset.ts';
import { logs } from './logs.ts';
import { orders } from './orders.ts';
import { UnknownDatasetError } from './unknown-dataset-error.ts';

export type { Dataset, LookupPort, RowResult } from './dataset.ts';
export { UnknownDatasetError } from './unknown-dataset-error.ts';

/** Every dataset Chute knows, by name (= its S3 prefix under input/). */
export const datasets: Readonly<Record<string, Dataset>> = Object.freeze({
  orders: orders as unknown as Dataset,
  customers: customers as unknown as Dataset,
  logs: logs as unknown as Dataset,
});

/** The dataset called `name`; an unknown name is an UnknownDatasetError naming the known ones. */
export function getDataset(name: string): Dataset {
  const dataset = Object.hasOwn(datasets, name) ? datasets[name] : undefined;
  if (!dataset) {
    throw new UnknownDatasetError(
      `Unknown dataset '${name}': expected one of ${Object.keys(datasets).join(', ')}`,
    );
  }
  return dataset;
}
