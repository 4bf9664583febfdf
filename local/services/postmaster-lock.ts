import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Another live Chute runs this data dir's PostgreSQL: stopping it would break that one. */
export class PostgresInUseError extends Error {
  override name = 'PostgresInUseError' as const;
  readonly databaseDir: string;
  /** The Chute process using it. */
  readonly ownerPid: number;
  constructor(databaseDir: string, ownerPid: number) {
    super(
      `The PostgreSQL in ${databaseDir} is in use by another running Chute (process ${ownerPid}): stop it first, or use another data dir`,
    );
    this.databaseDir = databaseDir;
    this.ownerPid = ownerPid;
  }
}

/** A PostgreSQL left behind by a killed Chute that would not stop. */
export class OrphanedPostgresError extends Error {
  override name = 'OrphanedPostgresError' as const;
  readonly databaseDir: string;
  constructor(databaseDir: string, pid: number) {
    super(`The PostgreSQL left running in ${databaseDir} (process ${pid}) did not stop; stop it by hand`);
    this.databaseDir = databaseDir;
  }
}

/**
 * The postmaster's flag naming the process that started it: `cluster_name` is shown in its
 * command line (and in `ps`), and it outlives its parent, so a later start can tell an orphan
 * (its parent is no longer that process) from one a live Chute is using.
 */
export function ownerFlags(ownerPid = process.pid): string[] {
  return ['-c', `cluster_name=chute-${ownerPid}`];
}

const STOP_MS = 20_000;

/**
 * Makes way before starting the PostgreSQL of `databaseDir`: a `postmaster.pid` whose process is
 * gone (or is now another program) is removed; a postmaster of this directory whose Chute was
 * killed is stopped (fast shutdown, as `pg_ctl stop -m fast`, then immediate). One that a live
 * Chute started is left alone: PostgresInUseError.
 */
export async function clearStalePostmaster(databaseDir: string): Promise<void> {
  const lockFile = join(databaseDir, 'postmaster.pid');
  const lock = await readFile(lockFile, 'utf8').catch(() => undefined);
  if (lock === undefined) return;
  const pid = Number(lock.split('\n')[0]);
  const postmaster = Number.isInteger(pid) && pid > 0 ? await postmasterOf(pid, databaseDir) : 'none';
  if (postmaster === 'none') {
    // Its process is gone, or the PID now names another program: PostgreSQL would take the latter
    // for a running postmaster (and, as another user, cannot even tell).
    await rm(lockFile, { force: true });
    return;
  }
  // A process we cannot look at (no /proc): PostgreSQL's own check decides, as it always did.
  if (postmaster === 'unknown') return;
  // Started by a Chute without the flag: a parent other than init is taken to be alive.
  const ownerPid = postmaster.ownerPid ?? (postmaster.parentPid === 1 ? undefined : postmaster.parentPid);
  if (ownerPid !== undefined && postmaster.parentPid === ownerPid)
    throw new PostgresInUseError(databaseDir, ownerPid);
  for (const [signal, ms] of [
    ['SIGINT', STOP_MS],
    ['SIGQUIT', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
    if (await exited(pid, ms)) return;
  }
  throw new OrphanedPostgresError(databaseDir, pid);
}

/**
 * What runs as `pid`: nothing (or another program), the postmaster of `databaseDir` (its parent
 * and the Chute that started it), or `unknown` when it runs but /proc does not tell what it is.
 */
async function postmasterOf(
  pid: number,
  databaseDir: string,
): Promise<'none' | 'unknown' | { parentPid: number; ownerPid?: number }> {
  if (!running(pid)) return 'none';
  const stat = await processStat(pid);
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (!stat || cmdline === undefined) return running(pid) ? 'unknown' : 'none';
  const args = cmdline.split('\0');
  if (stat.state === 'Z' || !basename(args[0] ?? '').startsWith('postgres')) return 'none';
  if (args[args.indexOf('-D') + 1] !== databaseDir) return 'none';
  const owner = args.map((arg) => /^cluster_name=chute-(\d+)$/.exec(arg)?.[1]).find(Boolean);
  return { parentPid: stat.parentPid, ...(owner ? { ownerPid: Number(owner) } : {}) };
}

// Signal 0 only checks: EPERM means it exists, as another user's process.
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// /proc/<pid>/stat: "pid (comm) state ppid ...", where comm may itself hold spaces and parentheses.
async function processStat(pid: number): Promise<{ state: string; parentPid: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  const [state, parentPid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: state!, parentPid: Number(parentPid) };
}

async function exited(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    const stat = await processStat(pid);
    if (!stat || stat.state === 'Z') return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
