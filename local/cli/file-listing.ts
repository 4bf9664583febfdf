import type { LedgerItem } from '../../workflow/ledger-item.ts';

/** What S3 says of an object: its upload time and size. */
export interface StoredObject {
  lastModified: Date;
  size: number;
}

/** `s3://bucket/key#etag` → the bucket, key and ETag it names (the ledger's pk). */
export function fileIdParts(id: string): { bucket: string; key: string; etag: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)#([^#]*)$/.exec(id);
  return match ? { bucket: match[1]!, key: match[2]!, etag: match[3]! } : undefined;
}

/** The listing's key of an object: the ledger's id of the upload that made it. */
export const storedObjectId = (bucket: string, key: string, etag: string) =>
  `s3://${bucket}/${key}#${etag.replaceAll('"', '')}`;

const second = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `chute files`' lines: newest upload first, as `ls -lt` lists files, each with its upload time,
 * size in bytes, status, id, and what it loaded. The upload time and size are S3's for the object
 * the ledger names (`objects`, by id); when that object has since been replaced or deleted, the
 * time is when the pipeline claimed it (moments after the upload) and the size is `-`.
 */
export function fileListing(
  items: readonly LedgerItem[],
  objects: ReadonlyMap<string, StoredObject>,
): string[] {
  const rows = items.map((item) => {
    const stored = objects.get(item.pk);
    const claimed = item.startedAt ? new Date(item.startedAt) : new Date(0);
    return { item, uploaded: stored?.lastModified ?? claimed, claimed, size: stored?.size };
  });
  // Newest first; S3 times are to the second, so the claim time (to the millisecond) breaks ties.
  rows.sort(
    (a, b) =>
      b.uploaded.getTime() - a.uploaded.getTime() ||
      b.claimed.getTime() - a.claimed.getTime() ||
      a.item.pk.localeCompare(b.item.pk),
  );
  const sizeWidth = Math.max(1, ...rows.map((row) => String(row.size ?? '-').length));
  return rows.map(({ item, uploaded, size }) => {
    const { status, pk, loaded, rejected, error } = item;
    const counts = loaded !== undefined ? ` loaded ${loaded} rejected ${rejected ?? 0}` : '';
    const bytes = String(size ?? '-').padStart(sizeWidth);
    return `${second(uploaded)} ${bytes} ${(status ?? '?').padEnd(9)} ${pk}${counts}${error ? ` — ${error}` : ''}`;
  });
}
