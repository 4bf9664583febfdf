import { chmod, mkdir } from 'node:fs/promises';

/**
 * Everything this process creates from now on is its user's alone: files 600, directories 700.
 * One process-wide umask covers every writer of the data dir (fauxqs's files and SQLite, dynalite's
 * LevelDB, the Step Functions store, initdb's password file) without a chmod in each.
 */
export function keepFilesPrivate(): void {
  process.umask(0o077);
}

/**
 * Creates a directory of the data dir, or tightens one an older Chute left open: 700, or 711 when
 * `passThrough` and running as root, where the embedded PostgreSQL runs as the `postgres` user and
 * must pass through it to its own directory (without listing it).
 */
export async function privateDirectory(dir: string, options: { passThrough?: boolean } = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, options.passThrough && process.getuid?.() === 0 ? 0o711 : 0o700);
}
