import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

// `chute up` as users run it, in a process of its own, on the embedded PostgreSQL (not DATABASE_URL's).
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const { DATABASE_URL: _unused, ...env } = process.env;

export interface Up {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Spawns `chute up` on `dataDir` (one process: the heap flag keeps bin/chute.js from re-running itself). */
export function chuteUp(dataDir: string, flags: string[] = []): Promise<Up> {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=384',
      'bin/chute.js',
      'up',
      '--port',
      '0',
      '--data',
      dataDir,
      '--time-scale',
      '0',
      ...flags,
    ],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Local cloud on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => reject(new Error(`chute up exited (${code ?? signal}):\n${output}`)));
  });
}

export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops what a test's `chute up` runs left: the processes, then a PostgreSQL a killed one left behind. */
export async function stopChuteUps(dataDir: string, ups: (Up | undefined)[]): Promise<void> {
  for (const up of ups) {
    if (!up || up.child.exitCode !== null || up.child.signalCode !== null) continue;
    up.child.kill('SIGINT');
    await exited(up.child);
  }
  const lock = await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '');
  if (lock) {
    try {
      process.kill(Number(lock.split('\n')[0]), 'SIGINT');
    } catch {
      // already gone
    }
  }
}

/** The pipeline's own connection: its role's password from the data dir, the port PostgreSQL wrote. */
export async function pipelineDatabase(dataDir: string): Promise<pg.Client> {
  const pgDir = join(dataDir, 'postgres');
  const { user, password } = JSON.parse(await readFile(join(pgDir, 'chute-credentials.json'), 'utf8')) as {
    user: string;
    password: string;
  };
  const port = Number((await readFile(join(pgDir, 'postmaster.pid'), 'utf8')).split('\n')[3]);
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'chute' });
  await client.connect();
  return client;
}
