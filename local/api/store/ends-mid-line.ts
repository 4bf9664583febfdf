import { open } from 'node:fs/promises';

/**
 * Whether an append-only file ends part-way through a line: the process was killed mid-append,
 * or a write failed part-way. The next append must start on a line of its own, or its first
 * line would be lost with the broken one.
 */
export async function endsMidLine(path: string): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const { size } = await file.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await file.close();
  }
}
