/**
 * The file a pipeline execution is for (`id` as the ledger names it, and the S3 key), read from
 * its input, the S3 upload event; undefined for any other input.
 */
export function fileOf(input: string | null): { id: string; key: string } | undefined {
  try {
    const { detail } = JSON.parse(input ?? 'null') as {
      detail: { bucket: { name: string }; object: { key: string; etag: string } };
    };
    return {
      id: `s3://${detail.bucket.name}/${detail.object.key}#${detail.object.etag}`,
      key: detail.object.key,
    };
  } catch {
    return undefined;
  }
}
