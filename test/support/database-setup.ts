import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../local/services/postgres.ts';

/**
 * jest globalSetup: the tests use the PostgreSQL named by DATABASE_URL, or, when it is unset,
 * an embedded one started here for the run (workers inherit the variable).
 */
export default async function setup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const root = await mkdtemp(path.join(tmpdir(), 'chute-test-pg-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as the `postgres` user, which must reach it
  const dataDir = path.join(root, 'data');
  const postgres = await startEmbeddedPostgres({ dataDir });
  process.env.DATABASE_URL = postgres.url;
  (globalThis as { chuteTestPostgres?: typeof postgres }).chuteTestPostgres = postgres;
}
