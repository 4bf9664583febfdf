import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryEvent } from '../../engine/execution-types.ts';
import { ChildHistoryLog } from './child-history-log.ts';
import { endsMidLine } from './ends-mid-line.ts';
import { HistoryCache } from './history-cache.ts';
import { HistoryWriter, readHistoryLines, type StoredEvent } from './history-lines.ts';
import type {
  ActivityRecord,
  AliasRecord,
  ExecutionRecord,
  MachineRecord,
  MapRunRecord,
  VersionRecord,
} from './records.ts';

/** How long a change may wait in memory before it is written: changes within it are coalesced. */
const WRITE_BEHIND_MS = 50;
/** How long a write that failed waits before it is tried again. */
const RETRY_MS = 1000;

/** One file write of a flush, and how to put its changes back when it fails. */
interface Write {
  run(): Promise<void>;
  requeue(): void;
}

type Kind = 'state-machines' | 'executions' | 'map-runs' | 'activities' | 'versions' | 'aliases';

/**
 * A child's record without its input and output (a whole batch each): its history has them (an
 * EXPRESS child's, only its start and end, which nothing serves as a history).
 */
function slim(record: ExecutionRecord): ExecutionRecord {
  const { output: _output, ...rest } = record;
  return { ...rest, input: '', offloaded: true };
}

const fileId = (key: string) => createHash('sha1').update(key).digest('hex');

export type { StoredEvent } from './history-lines.ts';

/** A Map Run child's name: the last part of its ARN, unique within its Map Run. */
const childName = (executionArn: string) => executionArn.slice(executionArn.lastIndexOf(':') + 1);

/**
 * State machines, activities, executions, Map Runs and histories on disk under `dataDir`, so they survive a
 * restart. Records are small JSON files written atomically (temp file + rename); a history is an
 * append-only JSON Lines file. Records stay in memory and histories are read from disk when
 * asked for.
 *
 * A Map Run's children (a Distributed Map starts thousands) share two append-only files instead:
 * their records, slim, as JSON lines (the last line of a child wins), and their histories (see
 * ChildHistoryLog). A finished child's input and output are read back from its history.
 *
 * Writes are behind by at most WRITE_BEHIND_MS: a Map Run child that starts and ends within it
 * costs one record write and one history append instead of a dozen small writes. `close()`
 * writes everything; a crash loses at most that much.
 */
export class StateStore {
  readonly machines = new Map<string, MachineRecord>();
  readonly executions = new Map<string, ExecutionRecord>();
  readonly mapRuns = new Map<string, MapRunRecord>();
  /** Activities by ARN. */
  readonly activities = new Map<string, ActivityRecord>();
  /** Published versions and aliases, by ARN. */
  readonly versions = new Map<string, VersionRecord>();
  readonly aliases = new Map<string, AliasRecord>();
  readonly #dir: string;
  /** Records changed since the last flush, by file path. */
  readonly #dirtyRecords = new Map<string, unknown>();
  /** Map Run children's records changed since the last flush, by execution ARN. */
  readonly #dirtyChildren = new Map<string, ExecutionRecord>();
  /** History lines not yet appended, by execution ARN. */
  readonly #pendingEvents = new Map<string, string[]>();
  /** The children's history files, by Map Run ARN. */
  readonly #childLogs = new Map<string, ChildHistoryLog>();
  /** Writers of the histories of running executions. */
  readonly #historyWriters = new Map<string, HistoryWriter>();
  /** Histories as last read, so that paging one does not parse it again for every page. */
  readonly #histories = new HistoryCache();
  #timer: NodeJS.Timeout | undefined;
  /** The flush writing or last written; the one waiting behind it, if any. */
  #flushing: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;
  /** Histories this process is to append to without having looked at how their file ends. */
  readonly #unchecked = new Set<string>();
  /** The message of the write failure last reported, until a flush succeeds. */
  #failing: string | undefined;
  /**
   * One copy of each definition text the records hold: every Map Run stringifies its
   * ItemProcessor anew, and its children's records (kept for DescribeExecution and ListExecutions)
   * each held that copy, ~5 KB per Map Run: with a Map Run per uploaded file, the heap filled.
   */
  readonly #definitions = new Map<string, string>();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dataDir: string): Promise<StateStore> {
    const store = new StateStore(dataDir);
    for (const kind of [
      'state-machines',
      'executions',
      'map-runs',
      'activities',
      'versions',
      'aliases',
      'histories',
    ]) {
      await mkdir(join(dataDir, kind), { recursive: true });
    }
    for (const record of await store.#readAll<MachineRecord>('state-machines'))
      store.machines.set(record.name, record);
    for (const record of await store.#readAll<ExecutionRecord>('executions')) store.#keepExecution(record);
    for (const record of await store.#readChildren()) store.#keepExecution(record);
    for (const record of await store.#readAll<MapRunRecord>('map-runs'))
      store.mapRuns.set(record.mapRunArn, record);
    for (const record of await store.#readAll<ActivityRecord>('activities'))
      store.activities.set(record.activityArn, record);
    for (const record of await store.#readAll<VersionRecord>('versions'))
      store.versions.set(record.arn, record);
    for (const record of await store.#readAll<AliasRecord>('aliases')) store.aliases.set(record.arn, record);
    return store;
  }

  async #readAll<T>(kind: Kind): Promise<T[]> {
    const names = (await readdir(join(this.#dir, kind))).filter((n) => n.endsWith('.json'));
    const records: T[] = [];
    for (const name of names) {
      try {
        records.push(JSON.parse(await readFile(join(this.#dir, kind, name), 'utf8')) as T);
      } catch {
        // A record cut short by a crash mid-write is skipped; the rename makes that rare.
      }
    }
    return records;
  }

  /** Every Map Run's children records, the last line of each child winning. */
  async #readChildren(): Promise<ExecutionRecord[]> {
    const dir = join(this.#dir, 'map-runs');
    const records = new Map<string, ExecutionRecord>();
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.children.jsonl'))) {
      for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) {
        if (!line) continue;
        try {
          const record = JSON.parse(line) as ExecutionRecord;
          records.set(record.executionArn, record);
        } catch {
          // The last line cut short by a crash: the child's previous line stands.
        }
      }
    }
    return [...records.values()];
  }

  #childRecordsPath(mapRunArn: string): string {
    return join(this.#dir, 'map-runs', `${fileId(mapRunArn)}.children.jsonl`);
  }

  #childLog(mapRunArn: string): ChildHistoryLog {
    let log = this.#childLogs.get(mapRunArn);
    if (!log) {
      log = new ChildHistoryLog(join(this.#dir, 'histories', `${fileId(mapRunArn)}.children.log`));
      this.#childLogs.set(mapRunArn, log);
    }
    return log;
  }

  #recordPath(kind: Kind, key: string): string {
    return join(this.#dir, kind, `${fileId(key)}.json`);
  }

  #historyPath(executionArn: string): string {
    return join(this.#dir, 'histories', `${fileId(executionArn)}.jsonl`);
  }

  #markDirty(kind: Kind, key: string, record: unknown): void {
    this.#dirtyRecords.set(this.#recordPath(kind, key), record);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    this.#timer ??= setTimeout(() => void this.flush(), WRITE_BEHIND_MS);
  }

  /**
   * Writes every pending change; resolves when they are on disk, or when a write failed (a full
   * disk, a data dir removed under us). A failed write never rejects where no one waits: it is
   * reported, its changes wait for the next flush, and one is scheduled, so the executions and
   * the API go on and nothing said done is dropped.
   */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // One flush at a time, so a record's newer version never lands before an older one. While
    // one writes, the next waits and takes all that changed by then: a flush queued every 50 ms
    // with its own copy of the changes grew without bound when writing fell behind (per-file
    // uploads on a busy machine: 11,000 queued writes holding 41 MiB of Map Run batches after
    // 2,000 files), where waiting changes coalesce by record.
    if (!this.#queued) {
      const queued = this.#flushing.then(() => {
        this.#queued = undefined;
        return this.#writePending();
      });
      this.#queued = queued;
      this.#flushing = queued;
    }
    return this.#queued;
  }

  async #writePending(): Promise<void> {
    const records = [...this.#dirtyRecords];
    const children = [...this.#dirtyChildren.values()];
    const events = [...this.#pendingEvents];
    this.#dirtyRecords.clear();
    this.#dirtyChildren.clear();
    this.#pendingEvents.clear();
    const writes: Write[] = [];
    const childEvents = new Map<string, [arn: string, lines: string[]][]>();
    for (const [arn, lines] of events) {
      const mapRunArn = this.executions.get(arn)?.mapRunArn;
      if (mapRunArn) groupInto(childEvents, mapRunArn, [arn, lines]);
      else
        writes.push({
          run: async () => {
            const path = this.#historyPath(arn);
            // The first append of this process to a history checks where the last one stopped.
            const broken = this.#unchecked.delete(arn) && (await endsMidLine(path));
            await appendFile(path, (broken ? '\n' : '') + lines.join(''));
          },
          requeue: () => {
            this.#unchecked.add(arn);
            this.#requeueEvents(arn, lines);
          },
        });
    }
    for (const [path, record] of records)
      writes.push({
        run: async () => {
          await writeFile(`${path}.tmp`, JSON.stringify(record));
          await rename(`${path}.tmp`, path);
        },
        requeue: () => {
          if (!this.#dirtyRecords.has(path)) this.#dirtyRecords.set(path, record);
        },
      });
    const childRecords = new Map<string, ExecutionRecord[]>();
    for (const record of children) groupInto(childRecords, this.#childRecordsPath(record.mapRunArn!), record);
    for (const [path, group] of childRecords)
      writes.push({
        run: () => appendFile(path, group.map((record) => `${JSON.stringify(slim(record))}\n`).join('')),
        requeue: () => {
          for (const record of group)
            if (!this.#dirtyChildren.has(record.executionArn))
              this.#dirtyChildren.set(record.executionArn, record);
        },
      });
    for (const [mapRunArn, chunks] of childEvents)
      writes.push({
        run: () => this.#childLog(mapRunArn).append(chunks.map(([arn, lines]) => [childName(arn), lines])),
        requeue: () => {
          for (const [arn, lines] of chunks) this.#requeueEvents(arn, lines);
        },
      });
    const results = await Promise.allSettled(writes.map((write) => write.run()));
    const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [i] : []));
    if (failed.length === 0) {
      this.#failing = undefined;
      for (const record of children) this.#slimIfFinished(record);
      return;
    }
    for (const i of failed) writes[i]!.requeue();
    const reason = (results[failed[0]!] as PromiseRejectedResult).reason as Error;
    // Said once per kind of failure, not every retry.
    if (this.#failing !== reason.message)
      console.error(`Step Functions could not write to ${this.#dir}, retrying: ${reason.message}`);
    this.#failing = reason.message;
    this.#timer ??= setTimeout(() => void this.flush(), RETRY_MS).unref();
  }

  /** Lines that could not be appended go back before any written since, keeping their order. */
  #requeueEvents(arn: string, lines: string[]): void {
    const newer = this.#pendingEvents.get(arn) ?? [];
    this.#pendingEvents.set(arn, [...lines, ...newer]);
  }

  /**
   * A finished Map Run child keeps only a slim copy in memory once it is on disk: its input and
   * output (a whole batch each) are read back from its history by `loadExecution` when asked for.
   */
  #slimIfFinished(written: ExecutionRecord): void {
    if (written.status !== 'RUNNING' && this.executions.get(written.executionArn) === written) {
      this.executions.set(written.executionArn, slim(written));
    }
  }

  saveMachine(record: MachineRecord): void {
    this.machines.set(record.name, record);
    this.#markDirty('state-machines', record.name, record);
  }

  async deleteMachine(name: string): Promise<void> {
    this.machines.delete(name);
    await this.#deleteRecord('state-machines', name);
  }

  async #deleteRecord(kind: Kind, key: string): Promise<void> {
    const path = this.#recordPath(kind, key);
    this.#dirtyRecords.delete(path);
    await this.#flushing;
    await rm(path, { force: true });
  }

  saveActivity(record: ActivityRecord): void {
    this.activities.set(record.activityArn, record);
    this.#markDirty('activities', record.activityArn, record);
  }

  async deleteActivity(arn: string): Promise<void> {
    this.activities.delete(arn);
    await this.#deleteRecord('activities', arn);
  }

  saveVersion(record: VersionRecord): void {
    this.versions.set(record.arn, record);
    this.#markDirty('versions', record.arn, record);
  }

  async deleteVersion(arn: string): Promise<void> {
    this.versions.delete(arn);
    await this.#deleteRecord('versions', arn);
  }

  saveAlias(record: AliasRecord): void {
    this.aliases.set(record.arn, record);
    this.#markDirty('aliases', record.arn, record);
  }

  async deleteAlias(arn: string): Promise<void> {
    this.aliases.delete(arn);
    await this.#deleteRecord('aliases', arn);
  }

  /** Keeps a record in memory, sharing its definition text with the records that run the same. */
  #keepExecution(record: ExecutionRecord): void {
    const definition = this.#definitions.get(record.definition);
    if (definition === undefined) this.#definitions.set(record.definition, record.definition);
    else record.definition = definition;
    this.executions.set(record.executionArn, record);
  }

  saveExecution(record: ExecutionRecord): void {
    this.#keepExecution(record);
    if (!record.mapRunArn) return this.#markDirty('executions', record.executionArn, record);
    this.#dirtyChildren.set(record.executionArn, record);
    this.#scheduleFlush();
  }

  /** The whole record: a slim child's input and output come back from its history. */
  async loadExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const record = this.executions.get(arn);
    if (!record?.offloaded) return record;
    const events = await this.readHistory(arn);
    const { offloaded: _offloaded, ...whole } = record;
    const started = events.find((e) => e.type === 'ExecutionStarted');
    const succeeded = events.findLast((e) => e.type === 'ExecutionSucceeded');
    whole.input = (started?.executionStartedEventDetails as { input?: string } | undefined)?.input ?? '';
    const output = (succeeded?.executionSucceededEventDetails as { output?: string } | undefined)?.output;
    if (record.status === 'SUCCEEDED' && output !== undefined) whole.output = output;
    return whole;
  }

  saveMapRun(record: MapRunRecord): void {
    this.mapRuns.set(record.mapRunArn, record);
    this.#markDirty('map-runs', record.mapRunArn, record);
  }

  /** Appends an event to an execution's history. */
  appendEvent(executionArn: string, event: HistoryEvent): void {
    this.#histories.invalidate(executionArn);
    let writer = this.#historyWriters.get(executionArn);
    if (!writer) {
      this.#historyWriters.set(executionArn, (writer = new HistoryWriter()));
      this.#unchecked.add(executionArn);
    }
    const line = writer.line(event);
    const pending = this.#pendingEvents.get(executionArn);
    if (pending) pending.push(line);
    else this.#pendingEvents.set(executionArn, [line]);
    this.#scheduleFlush();
  }

  /** The execution has ended: its history takes no more events until a redrive. */
  endHistory(executionArn: string): void {
    this.#historyWriters.delete(executionArn);
  }

  /** An execution's events, in order; shared with other readers, so never to be changed. */
  readHistory(executionArn: string): Promise<readonly StoredEvent[]> {
    return this.#histories.read(executionArn, async () => {
      await this.flush();
      const text = await this.#readHistoryText(executionArn);
      return { events: readHistoryLines(text), size: text.length };
    });
  }

  async #readHistoryText(executionArn: string): Promise<string> {
    const mapRunArn = this.executions.get(executionArn)?.mapRunArn;
    const shared = mapRunArn && (await this.#childLog(mapRunArn).read(childName(executionArn)));
    // A child without lines in the shared log was written by an older Chute, to a file of its own.
    if (shared) return shared;
    return readFile(this.#historyPath(executionArn), 'utf8').catch(() => '');
  }

  /** Writes what is pending; what still cannot be written is given up (it was reported). */
  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function groupInto<T>(groups: Map<string, T[]>, key: string, item: T): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}
