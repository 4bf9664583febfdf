import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { StatesError, StatesErrorNames } from '../errors.ts';
import { readCsvItems } from './csv-items.ts';
import type { ObjectStore } from './object-store.ts';

const failed = (message: string) => new StatesError(StatesErrorNames.ItemReaderFailed, message);

// The manifest.json of an S3 Inventory report.
const InventoryManifestSchema = z.object({
  destinationBucket: z.string(),
  fileFormat: z.string(),
  fileSchema: z.string(),
  files: z.array(z.object({ key: z.string() })),
});

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Streams the objects listed by an S3 Inventory report: reads its manifest.json, then each
 * gzipped CSV data file, one item per object with the manifest's `fileSchema` as keys.
 */
export async function* readManifestItems(manifest: Readable, store: ObjectStore): AsyncGenerator<unknown> {
  let parsed: z.infer<typeof InventoryManifestSchema>;
  try {
    parsed = InventoryManifestSchema.parse(JSON.parse(await readAll(manifest)));
  } catch (error) {
    throw failed(`The S3 inventory manifest could not be read: ${(error as Error).message}`);
  }
  if (parsed.fileFormat !== 'CSV') {
    throw failed(`S3 inventory files of format ${parsed.fileFormat} are not supported (only CSV).`);
  }
  const bucket = parsed.destinationBucket.replace(/^arn:aws[a-z-]*:s3:::/, '');
  const headers = parsed.fileSchema.split(',').map((name) => name.trim());
  for (const file of parsed.files) {
    const body = await store.getObject(bucket, file.key);
    let csv: Readable = body;
    if (file.key.endsWith('.gz')) {
      csv = body.pipe(createGunzip());
      // A pipe does not carry its source's errors: one left unheard would end the process.
      body.on('error', (error: Error) => csv.destroy(error));
    }
    try {
      yield* readCsvItems(csv, { CSVHeaderLocation: 'GIVEN', CSVHeaders: headers });
    } finally {
      body.destroy();
    }
  }
}
