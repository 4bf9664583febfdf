import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { HistoryEvent } from '../../engine/execution-types.ts';
import type { ExecutionRecord, MachineRecord, MapRunRecord } from './records.ts';

function slim(record: ExecutionRecord): ExecutionRecord {
  const { output: _output, ...rest } = record;
  return { ...rest, input: '', offloaded: true };
}

const fileId = (arn: string) => createHash('sha1').update(arn).digest('hex');

/** A history event as stored and served: the timestamp in epoch seconds, as AWS JSON carries it. */
export interface StoredEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/**
 * State machines, executions, Map Runs and histories on disk under `dataDir`, so they survive a
 * restart. Records are small JSON files written atomically; a history is an append-only JSON
 * Lines file. Records stay in memory; histories are read from disk when asked for.
 */
export class StateStore {
  readonly machines = new Map<string, MachineRecord>();
  readonly executions = new Map<string, ExecutionRecord>();
  readonly mapRuns = new Map<string, MapRunRecord>();
  readonly #dir: string;
  readonly #writes = new Map<string, Promise<void>>();
  readonly #histories = new Map<string, WriteStream>();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dataDir: string): Promise<StateStore> {
    const store = new StateStore(dataDir);
    for (const kind of ['state-machines', 'executions', 'map-runs', 'histories']) {
      await mkdir(join(dataDir, kind), { recursive: true });
    }
    for (const record of await store.#readAll<MachineRecord>('state-machines'))
      store.machines.set(record.name, record);
    for (const record of await store.#readAll<ExecutionRecord>('executions'))
      store.executions.set(record.executionArn, record);
    for (const record of await store.#readAll<MapRunRecord>('map-runs'))
      store.mapRuns.set(record.mapRunArn, record);
    return store;
  }

  async #readAll<T>(kind: string): Promise<T[]> {
    const names = (await readdir(join(this.#dir, kind))).filter((n) => n.endsWith('.json'));
    const records: T[] = [];
    for (const name of names) {
      try {
        records.push(JSON.parse(await readFile(join(this.#dir, kind, name), 'utf8')) as T);
      } catch {
        // A record cut short by a crash mid-write is skipped; the rename below makes that rare.
      }
    }
    return records;
  }

  /** Writes one record file atomically (temp file + rename), writes to one file in order. */
  #write(kind: string, key: string, record: unknown): Promise<void> {
    const path = join(this.#dir, kind, `${fileId(key)}.json`);
    const previous = this.#writes.get(path) ?? Promise.resolve();
    const next = previous.then(async () => {
      await writeFile(`${path}.tmp`, JSON.stringify(record));
      await rename(`${path}.tmp`, path);
    });
    this.#writes.set(
      path,
      next.catch(() => {}),
    );
    return next;
  }

  saveMachine(record: MachineRecord): Promise<void> {
    this.machines.set(record.name, record);
    return this.#write('state-machines', record.name, record);
  }

  async deleteMachine(name: string): Promise<void> {
    this.machines.delete(name);
    await rm(join(this.#dir, 'state-machines', `${fileId(name)}.json`), { force: true });
  }

  saveExecution(record: ExecutionRecord): Promise<void> {
    this.executions.set(record.executionArn, record);
    return this.#write('executions', record.executionArn, record);
  }

  /**
   * Keeps only a slim copy of a finished Map Run child in memory: its input and output (a whole
   * batch each) stay in its file, read back by `loadExecution` when someone describes it.
   */
  async offload(arn: string): Promise<void> {
    const record = this.executions.get(arn);
    if (!record) return;
    await this.#writes.get(join(this.#dir, 'executions', `${fileId(arn)}.json`));
    this.executions.set(arn, slim(record));
  }

  /** The whole record, from disk when it was offloaded. */
  async loadExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const record = this.executions.get(arn);
    if (!record?.offloaded) return record;
    return JSON.parse(
      await readFile(join(this.#dir, 'executions', `${fileId(arn)}.json`), 'utf8'),
    ) as ExecutionRecord;
  }

  saveMapRun(record: MapRunRecord): Promise<void> {
    this.mapRuns.set(record.mapRunArn, record);
    return this.#write('map-runs', record.mapRunArn, record);
  }

  /** Appends an event to an execution's history file. */
  appendEvent(executionArn: string, event: HistoryEvent): void {
    let stream = this.#histories.get(executionArn);
    if (!stream) {
      stream = createWriteStream(join(this.#dir, 'histories', `${fileId(executionArn)}.jsonl`), {
        flags: 'a',
      });
      this.#histories.set(executionArn, stream);
    }
    const stored: StoredEvent = { ...event, timestamp: event.timestamp.getTime() / 1000 };
    stream.write(`${JSON.stringify(stored)}\n`);
  }

  /** Flushes and closes a history once its execution has ended. */
  async closeHistory(executionArn: string): Promise<void> {
    const stream = this.#histories.get(executionArn);
    if (!stream) return;
    this.#histories.delete(executionArn);
    stream.end();
    await once(stream, 'close');
  }

  async readHistory(executionArn: string): Promise<StoredEvent[]> {
    const stream = this.#histories.get(executionArn);
    if (stream && stream.writableLength > 0) await new Promise((resolve) => stream.write('', resolve));
    let text: string;
    try {
      text = await readFile(join(this.#dir, 'histories', `${fileId(executionArn)}.jsonl`), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as StoredEvent);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#histories.keys()].map((arn) => this.closeHistory(arn)));
    await Promise.all(this.#writes.values());
  }
}
