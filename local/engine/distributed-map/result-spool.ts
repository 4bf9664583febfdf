import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import type { Transformation } from '../definition/types.ts';
import type { ObjectStore } from '../item-readers/object-store.ts';
import { resultGroupOf, resultLinesOf, type ChildExecutionRecord, type ResultGroup } from './result-entry.ts';

export interface ResultFormat {
  transformation: Transformation;
  outputType: 'JSON' | 'JSONL';
}

interface SpoolFile {
  stream: WriteStream;
  path: string;
  count: number;
  bytes: number;
  /** What the stream reported, if it failed. */
  error?: Error;
}

/**
 * Keeps what a Map Run's children put in the result files on disk, one JSON text per line and
 * status group, so a run of 10,000 batches does not hold every batch's input and output in memory;
 * `write` then streams each group to S3 as a JSON array (OutputType JSON) or as the lines
 * themselves (JSONL).
 */
export class ResultSpool {
  readonly #dir: string;
  readonly #format: ResultFormat;
  readonly #files = new Map<ResultGroup, SpoolFile>();

  private constructor(dir: string, format: ResultFormat) {
    this.#dir = dir;
    this.#format = format;
  }

  /** A spool in a new directory under `parent` (the system's temp dir unless given). */
  static async create(format: ResultFormat, parent = tmpdir()): Promise<ResultSpool> {
    return new ResultSpool(await mkdtemp(join(parent, 'chute-map-run-')), format);
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
      const created: SpoolFile = { stream: createWriteStream(path), path, count: 0, bytes: 0 };
      // A file that cannot be written (its directory gone, a full disk) fails the next add or
      // the write, and so the Map Run: a stream's 'error' with no listener would end the process.
      created.stream.on('error', (error) => (created.error ??= error));
      this.#files.set(group, (file = created));
    }
    if (file.error) throw file.error;
    const lines = resultLinesOf(record, this.#format.transformation);
    if (!lines.length) return;
    file.count += lines.length;
    for (const line of lines) file.bytes += Buffer.byteLength(line);
    if (!file.stream.write(`${lines.join('\n')}\n`)) await once(file.stream, 'drain');
  }

  /** Uploads `<base>/<GROUP>_0.json` (or `.jsonl`) per non-empty group; returns their keys and sizes. */
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
    const jsonl = this.#format.outputType === 'JSONL';
    await this.#queue;
    for (const [group, file] of this.#files) {
      if (file.error) throw file.error;
      // Listening before `end`: a stream that fails now rejects this rather than never closing.
      const closed = once(file.stream, 'close');
      file.stream.end();
      await closed;
      if ((await stat(file.path)).size !== file.bytes + file.count)
        throw new Error('result spool is incomplete');
      // JSONL: the spool file as it is. JSON: `[` + lines joined by `,` + `]`.
      const size = jsonl ? file.bytes + file.count : file.bytes + Math.max(file.count - 1, 0) + 2;
      const body = jsonl ? createReadStream(file.path) : Readable.from(jsonArrayOf(file.path));
      const key = `${base}/${group}_0.${jsonl ? 'jsonl' : 'json'}`;
      await store.putObject(bucket, key, body);
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
