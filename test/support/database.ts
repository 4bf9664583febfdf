import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool } from '../../functions/shared/db.ts';
import { migrate } from '../../functions/shared/migrate.ts';
import { dropDatabase } from '../../local/services/postgres.ts';

export interface ScratchDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the e2e project starts PostgreSQL in its globalSetup');
  return url;
}

/**
 * A freshly migrated database of its own for one test file, so files run in parallel without
 * seeing each other's rows. `drop()` removes it.
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `chute_test_${randomBytes(6).toString('hex')}`;
  // Captured now: a test may point DATABASE_URL at this very database afterwards.
  const server = serverUrl();
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const pool = createPool(url.toString(), 10);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await dropDatabase(server, name);
    },
  };
}
