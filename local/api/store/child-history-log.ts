import { open, stat } from 'node:fs/promises';
import { endsMidLine } from './ends-mid-line.ts';

type Ranges = [start: number, end: number][];

const SCAN_BLOCK = 8 * 2 ** 20;
const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * The histories of one Map Run's children in one append-only file: a Distributed Map runs
 * thousands of children, and a file each meant thousands of opens and closes a second. Each
 * line is `<child name>\t<history line>`; the byte ranges of every child's lines are indexed as
 * they are written, and rebuilt by one scan of the file when it was written by an earlier process.
 */
export class ChildHistoryLog {
  readonly #path: string;
  /** Bytes in the file; undefined until the first append or read looks. */
  #size: number | undefined;
  /** How much of the file an earlier process wrote: scanned only when a history is read. */
  #unscanned = 0;
  readonly #ranges = new Map<string, Ranges>();
  /** A failed append may have left part of a line at the end of the file. */
  #partial = false;

  constructor(path: string) {
    this.#path = path;
  }

  async #sizeNow(): Promise<number> {
    if (this.#size === undefined) {
      this.#size = await stat(this.#path).then(
        (s) => s.size,
        () => 0,
      );
      this.#unscanned = this.#size;
      this.#partial = await endsMidLine(this.#path);
    }
    return this.#size;
  }

  /**
   * Appends each child's lines; one write for the lot. Calls must not overlap. A write that
   * fails indexes nothing, so the caller can append the same lines again; what it may have
   * written in part is cut off by a newline before the next lines and never read back.
   */
  async append(chunks: [name: string, lines: string[]][]): Promise<void> {
    const start = await this.#sizeNow();
    let offset = start;
    // Each line encoded once, straight into the write: no joined copies of batch-sized strings.
    const buffers: Buffer[] = [];
    if (this.#partial) {
      buffers.push(Buffer.from('\n'));
      offset++;
    }
    const ranges: [name: string, start: number, end: number][] = [];
    for (const [name, lines] of chunks) {
      const begin = offset;
      const prefix = Buffer.from(`${name}\t`);
      for (const line of lines) {
        const encoded = Buffer.from(line);
        buffers.push(prefix, encoded);
        offset += prefix.length + encoded.length;
      }
      ranges.push([name, begin, offset]);
    }
    try {
      const file = await open(this.#path, 'a');
      try {
        await file.writev(buffers);
      } finally {
        await file.close();
      }
    } catch (error) {
      // Where the file really ends now: the next append starts there.
      const size = await stat(this.#path).then(
        (s) => s.size,
        () => start,
      );
      this.#partial = size !== start;
      this.#size = size;
      throw error;
    }
    this.#partial = false;
    for (const [name, begin, end] of ranges) this.#addRange(name, begin, end);
    this.#size = offset;
  }

  #addRange(name: string, start: number, end: number): void {
    const ranges = this.#ranges.get(name);
    const last = ranges?.at(-1);
    if (last && last[1] === start) last[1] = end;
    else if (ranges) ranges.push([start, end]);
    else this.#ranges.set(name, [[start, end]]);
  }

  /** One child's history lines, in the order they were written. */
  async read(name: string): Promise<string> {
    await this.#sizeNow();
    if (this.#unscanned > 0) await this.#scan();
    const ranges = this.#ranges.get(name);
    if (!ranges) return '';
    const file = await open(this.#path, 'r');
    try {
      const parts: string[] = [];
      for (const [start, end] of ranges) {
        const buffer = Buffer.alloc(end - start);
        await file.read(buffer, 0, buffer.length, start);
        for (const line of buffer.toString('utf8').split('\n'))
          if (line) parts.push(line.slice(line.indexOf('\t') + 1));
      }
      return parts.join('\n');
    } finally {
      await file.close();
    }
  }

  /** Indexes what an earlier process wrote, before anything this one appended. */
  async #scan(): Promise<void> {
    const length = this.#unscanned;
    const appended = new Map(this.#ranges);
    this.#ranges.clear();
    const file = await open(this.#path, 'r');
    try {
      let carry = Buffer.alloc(0);
      let carryStart = 0;
      for (let position = 0; position < length;) {
        const block = Buffer.alloc(Math.min(SCAN_BLOCK, length - position));
        const { bytesRead } = await file.read(block, 0, block.length, position);
        const data = carry.length ? Buffer.concat([carry, block.subarray(0, bytesRead)]) : block;
        const dataStart = carry.length ? carryStart : position;
        let lineStart = 0;
        for (
          let newline = data.indexOf(NEWLINE);
          newline !== -1;
          newline = data.indexOf(NEWLINE, lineStart)
        ) {
          const tab = data.indexOf(TAB, lineStart);
          if (tab !== -1 && tab < newline) {
            const name = data.toString('latin1', lineStart, tab);
            this.#addRange(name, dataStart + lineStart, dataStart + newline + 1);
          }
          lineStart = newline + 1;
        }
        carry = data.subarray(lineStart);
        carryStart = dataStart + lineStart;
        position += bytesRead;
      }
    } finally {
      await file.close();
    }
    for (const [name, ranges] of appended)
      for (const [start, end] of ranges) this.#addRange(name, start, end);
    this.#unscanned = 0;
  }
}
