import { ErrorNames } from '../error-names.ts';

/** The dataset named by the file key is not registered. The literal name is what the ASL matches on. */
export class UnknownDatasetError extends Error {
  override readonly name = ErrorNames.UnknownDataset;
}
