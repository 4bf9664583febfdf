import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100; // USER_HZ: Linux reports /proc times in 1/100 s

/** utime, stime, cutime, cstime of one process, in ticks; undefined once it has gone. */
async function processTimes(pid: string): Promise<{ comm: string; own: number; reaped: number } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    // Fields after the command: state ppid … utime(14) stime(15) cutime(16) cstime(17), 1-based.
    const fields = stat.slice(close + 2).split(' ');
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    return { comm, own: utime! + stime!, reaped: cutime! + cstime! };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by the PostgreSQL server on this machine: every `postgres` process, plus
 * what the exited backends used (the postmaster reaps them, so it is in its children's times).
 * Undefined when no such process is visible (a server on another machine).
 */
export async function postgresCpuSeconds(): Promise<number | undefined> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  let ticks = 0;
  let found = false;
  for (const pid of pids) {
    const times = await processTimes(pid);
    if (times?.comm !== 'postgres') continue;
    found = true;
    ticks += times.own + times.reaped;
  }
  return found ? ticks / TICKS_PER_SECOND : undefined;
}
