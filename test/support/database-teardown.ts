import type { RunningPostgres } from '../../local/services/postgres.ts';

/** jest globalTeardown: stops the embedded PostgreSQL that setup started, if it started one. */
export default async function teardown(): Promise<void> {
  await (globalThis as { chuteTestPostgres?: RunningPostgres }).chuteTestPostgres?.stop();
}
