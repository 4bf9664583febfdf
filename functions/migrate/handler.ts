import { fileURLToPath } from 'node:url';
import { resolveDatabaseUrl } from '../shared/db.ts';
import { migrate } from '../shared/migrate.ts';

// The bundle ships the SQL files next to the handler (see infra/constructs/pipeline-functions.ts).
const bundledMigrations = fileURLToPath(new URL('./migrations', import.meta.url));

/** Deploy-time trigger: applies pending SQL migrations to the pipeline's database. */
export const handler = async (): Promise<{ applied: string[] }> => ({
  applied: await migrate(await resolveDatabaseUrl(), process.env.MIGRATIONS_DIR ?? bundledMigrations),
});
