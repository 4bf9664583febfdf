import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { ledgerItemOf, type LedgerItem } from '../../../workflow/ledger-item.ts';
import { ResourceNames } from '../../../workflow/resource-names.ts';
import { clientsOf, withEndpoint } from '../endpoint.ts';
import { fileIdParts, fileListing, storedObjectId, type StoredObject } from '../file-listing.ts';

/**
 * The objects under the folders the ledger's files are in (`input/orders/`, …), by the id of the
 * upload that made each: one listing per folder, not a request per file.
 */
async function storedObjects(s3: S3Client, items: readonly LedgerItem[]): Promise<Map<string, StoredObject>> {
  const folders = new Set<string>();
  for (const item of items) {
    const parts = fileIdParts(item.pk);
    if (parts) folders.add(`${parts.bucket}/${parts.key.slice(0, parts.key.lastIndexOf('/') + 1)}`);
  }
  const objects = new Map<string, StoredObject>();
  for (const folder of folders) {
    const [bucket, prefix] = [folder.slice(0, folder.indexOf('/')), folder.slice(folder.indexOf('/') + 1)];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          ...(prefix ? { Prefix: prefix } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const { Key, ETag, LastModified, Size } of page.Contents ?? []) {
        if (Key && ETag && LastModified)
          objects.set(storedObjectId(bucket, Key, ETag), { lastModified: LastModified, size: Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return objects;
}

/** `chute files`: the ledger, one line per file the pipeline has claimed, newest upload first. */
export function registerFiles(program: Command): void {
  withEndpoint(
    program
      .command('files')
      .description('List the files in the ledger, newest upload first (as ls -lt): time, bytes, status')
      .addHelpText('after', '\nExample:\n  $ chute files --endpoint http://127.0.0.1:4566'),
  ).action(async (options: { endpoint: string }) => {
    const { dynamodb, s3 } = clientsOf(options);
    const items: LedgerItem[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await dynamodb.send(
        new ScanCommand({
          TableName: ResourceNames.ledgerTable,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []).map(ledgerItemOf));
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
    for (const line of fileListing(items, await storedObjects(s3, items))) console.log(line);
  });
}
