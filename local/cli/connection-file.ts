import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { holderOf } from '../services/data-dir-lock.ts';

/** How to reach a running `chute up`: what it writes into its data dir (mode 600: a password). */
export interface Connection {
  endpoint: string;
  databaseUrl: string;
}

const fileOf = (dataDir: string) => join(dataDir, 'connection.json');

/** Written by `chute up` once ready; the returned function removes it. */
export function writeConnection(dataDir: string, connection: Connection): () => void {
  writeFileSync(fileOf(dataDir), `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  return () => rmSync(fileOf(dataDir), { force: true });
}

/** The connection of the `chute up` that holds the data dir now, if one does. */
export async function readConnection(dataDir: string): Promise<Connection | undefined> {
  if ((await holderOf(dataDir)) === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(fileOf(dataDir), 'utf8')) as Connection;
  } catch {
    return undefined;
  }
}
