import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getDataset } from '../../workflow/datasets/index.ts';
import { transientIfRetryable } from '../shared/aws-errors.ts';
import { s3 } from '../shared/clients.ts';
import { BatchSchema } from '../shared/schemas.ts';
import { stageHandler } from '../shared/stage-handler.ts';
import { FileReferenceSchema, readFileItems, type ReadObject } from './read-file.ts';
import { validateBatch } from './validate.ts';

const readObject: ReadObject = async (bucket, key) => {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { size: object.ContentLength ?? 0, bytes: () => object.Body!.transformToByteArray() };
  } catch (error) {
    throw transientIfRetryable(error);
  }
};

const validateRows = stageHandler('validate', BatchSchema, (input) =>
  validateBatch(input, getDataset(input.BatchInput.dataset)),
);
const validateFile = stageHandler('validate', FileReferenceSchema, async (input) =>
  validateBatch(
    { BatchInput: input.BatchInput, Items: await readFileItems(input, readObject) },
    getDataset(input.BatchInput.dataset),
  ),
);

// A small file of a batch execution names its format and has no Items: validate reads it itself.
// Anything else is a Distributed Map batch of rows, parsed by that schema alone so a malformed
// one is told what it lacks.
const isFileReference = (event: unknown): boolean =>
  typeof event === 'object' && event !== null && 'format' in event && !('Items' in event);

export const handler = (event: unknown) =>
  isFileReference(event) ? validateFile(event) : validateRows(event);
