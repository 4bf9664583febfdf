import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';

/** The SQL migrations, shipped next to the code (the deploy-time trigger bundles them too). */
export const migrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Applies every pending migration; running it again is a no-op. */
export async function migrate(databaseUrl: string, dir = migrationsDir): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    log: () => undefined,
    singleTransaction: true,
  });
  return applied.map((migration) => migration.name);
}
