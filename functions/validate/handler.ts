import { GetObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
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

// A Distributed Map batch of rows, or a small file of a batch execution that validate reads itself.
export const handler = stageHandler('validate', z.union([BatchSchema, FileReferenceSchema]), async (input) =>
  validateBatch(
    'Items' in input
      ? input
      : { BatchInput: input.BatchInput, Items: await readFileItems(input, readObject) },
    getDataset(input.BatchInput.dataset),
  ),
);
