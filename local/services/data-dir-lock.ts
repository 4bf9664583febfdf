import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Another live Chute process runs a local cloud on this data dir. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError' as const;
  readonly dataDir: string;
  /** The Chute process using it. */
  readonly ownerPid: number;
  constructor(dataDir: string, ownerPid: number) {
    super(
      `The data dir ${dataDir} is in use by another running Chute (process ${ownerPid}): stop it first, or use another data dir`,
    );
    this.dataDir = dataDir;
    this.ownerPid = ownerPid;
  }
}

const LOCK_FILE = 'chute.pid';

/**
 * Claims `dataDir` for this process before anything in it is opened: two local clouds on one
 * data dir would each load, recover and rewrite the other's state. The lock names its process by
 * PID and start time, so a lock left by a killed Chute (or a PID since reused) is taken over;
 * this process may claim again a dir it holds. Throws DataDirInUseError otherwise.
 */
export async function lockDataDir(dataDir: string): Promise<{ release(): Promise<void> }> {
  const lockFile = join(dataDir, LOCK_FILE);
  const held = await readFile(lockFile, 'utf8').catch(() => '');
  const [pid, started] = held.split('\n').map(Number);
  if (pid && pid !== process.pid && started && (await startTime(pid)) === started)
    throw new DataDirInUseError(dataDir, pid);
  const mine = `${process.pid}\n${await startTime(process.pid)}\n`;
  await writeFile(lockFile, mine, { mode: 0o600 });
  return {
    async release() {
      // Still ours (a later start in this process may have claimed it since): remove it.
      if ((await readFile(lockFile, 'utf8').catch(() => '')) === mine) await rm(lockFile, { force: true });
    },
  };
}

/** The pid of the live Chute process that holds `dataDir`, if one does. */
export async function holderOf(dataDir: string): Promise<number | undefined> {
  const held = await readFile(join(dataDir, LOCK_FILE), 'utf8').catch(() => '');
  const [pid, started] = held.split('\n').map(Number);
  return pid && started && (await startTime(pid)) === started ? pid : undefined;
}

// Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot.
async function startTime(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}
