import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import type { ObjectStore } from '../item-readers/object-store.ts';
import { resultEntryOf, resultGroupOf, type ChildExecutionRecord, type ResultGroup } from './result-entry.ts';

/**
 * Keeps the result entries of a Map Run's children on disk, one JSON line each per status group,
 * so a run of 10,000 batches does not hold every batch's input and output in memory; `write`
 * then streams each group to S3 as the JSON array AWS writes.
 */
export class ResultSpool {
  readonly #dir: string;
  readonly #files = new Map<
    ResultGroup,
    { stream: WriteStream; path: string; count: number; bytes: number }
  >();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async create(): Promise<ResultSpool> {
    return new ResultSpool(await mkdtemp(join(tmpdir(), 'chute-map-run-')));
  }

  // Children finish concurrently: their lines are written one after another, each waiting for drain.
  #queue: Promise<void> = Promise.resolve();

  /** Appends one finished child. */
  add(record: ChildExecutionRecord): Promise<void> {
    const next = this.#queue.then(() => this.#append(record));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #append(record: ChildExecutionRecord): Promise<void> {
    const group = resultGroupOf(record.Status);
    let file = this.#files.get(group);
    if (!file) {
      const path = join(this.#dir, `${group}.jsonl`);
      file = { stream: createWriteStream(path), path, count: 0, bytes: 0 };
      this.#files.set(group, file);
    }
    const line = `${JSON.stringify(resultEntryOf(record))}\n`;
    file.count++;
    file.bytes += Buffer.byteLength(line) - 1;
    if (!file.stream.write(line)) await once(file.stream, 'drain');
  }

  /** Uploads `<base>/<GROUP>_0.json` per non-empty group; returns their keys and sizes. */
  async write(
    bucket: string,
    base: string,
    store: ObjectStore,
  ): Promise<Record<ResultGroup, { Key: string; Size: number }[]>> {
    const resultFiles: Record<ResultGroup, { Key: string; Size: number }[]> = {
      FAILED: [],
      PENDING: [],
      SUCCEEDED: [],
    };
    await this.#queue;
    for (const [group, file] of this.#files) {
      file.stream.end();
      await once(file.stream, 'close');
      // `[` + entries joined by `,` + `]`: each line's newline becomes the separator.
      const size = file.bytes + Math.max(file.count - 1, 0) + 2;
      if ((await stat(file.path)).size !== file.bytes + file.count)
        throw new Error('result spool is incomplete');
      const key = `${base}/${group}_0.json`;
      await store.putObject(bucket, key, Readable.from(jsonArrayOf(file.path)), size);
      resultFiles[group].push({ Key: key, Size: size });
    }
    return resultFiles;
  }

  async dispose(): Promise<void> {
    for (const file of this.#files.values()) file.stream.destroy();
    await rm(this.#dir, { recursive: true, force: true });
  }
}

async function* jsonArrayOf(path: string): AsyncGenerator<Buffer> {
  yield Buffer.from('[');
  let first = true;
  let pending = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    let newline: number;
    while ((newline = pending.indexOf(10)) >= 0) {
      if (!first) yield Buffer.from(',');
      yield pending.subarray(0, newline);
      pending = pending.subarray(newline + 1);
      first = false;
    }
  }
  yield Buffer.from(']');
}
