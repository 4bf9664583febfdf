import type { ObjectStore } from '../item-readers/object-store.ts';
import type { ResultSpool } from './result-spool.ts';

export interface ResultWriterTarget {
  bucket: string;
  prefix?: string;
  mapRunArn: string;
}

export interface ResultWriterDetails {
  Bucket: string;
  Key: string;
}

/**
 * Writes a Map Run's results as AWS lays them out
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html):
 * `<Prefix>/<map run id>/SUCCEEDED_0.json`, `FAILED_0.json`, `PENDING_0.json` (JSON arrays of
 * child executions) and `manifest.json` listing them; returns the state's `ResultWriterDetails`.
 * (AWS splits a group at 5 GB; the local cloud writes one file per group.)
 */
export async function writeMapRunResults(
  spool: ResultSpool,
  target: ResultWriterTarget,
  store: ObjectStore,
): Promise<ResultWriterDetails> {
  const runId = target.mapRunArn.slice(target.mapRunArn.lastIndexOf(':') + 1);
  const base = [target.prefix?.replace(/\/+$/, ''), runId].filter(Boolean).join('/');
  const resultFiles = await spool.write(target.bucket, base, store);
  const manifestKey = `${base}/manifest.json`;
  const manifest = {
    DestinationBucket: target.bucket,
    MapRunArn: target.mapRunArn,
    ResultFiles: resultFiles,
  };
  await store.putObject(target.bucket, manifestKey, JSON.stringify(manifest));
  return { Bucket: target.bucket, Key: manifestKey };
}
