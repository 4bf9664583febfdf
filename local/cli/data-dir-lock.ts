import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli-error.ts';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The pid of the live chute holding the data dir, if one does. */
export function holderOf(dataDir: string): number | undefined {
  let holder: number;
  try {
    holder = Number(readFileSync(join(dataDir, 'chute.pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(holder) && holder > 0 && isAlive(holder) ? holder : undefined;
}

/**
 * Claims a data dir for this process (`chute.pid` in it), so a second `chute up` or `chute run`
 * on the same dir stops with one clear line instead of colliding in PostgreSQL's lock file or
 * SQLite. A pid file left by a process that died (kill -9) is taken over. Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'chute.pid');
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(dataDir);
    if (holder !== undefined && holder !== process.pid)
      throw new CliError(
        `the data dir ${dataDir} is in use by another chute (pid ${holder}): stop it, or pass --data with another directory` +
          ' (to send files to a running `chute up`, upload them to its S3 endpoint)',
      );
    rmSync(file, { force: true });
  }
}
