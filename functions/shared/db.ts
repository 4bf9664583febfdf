import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import pg from 'pg';
import type { LookupPort } from '../../workflow/datasets/dataset.ts';
import { readEnvironment, requireSetting } from './config.ts';
import { translatePgError } from './db-errors.ts';
import { ConfigurationError } from './errors.ts';

// numeric and bigint come back as exact strings by default; counts and money are read as numbers
// only where the caller converts them, so nothing is rounded silently.

/** The standard RDS secret Secrets Manager rotates. */
interface RdsSecret {
  host: string;
  port?: number;
  username: string;
  password: string;
  dbname?: string;
}

async function urlFromSecret(secretArn: string): Promise<string> {
  const client = new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!SecretString) throw new ConfigurationError(`Secret ${secretArn} has no SecretString`);
  const secret = JSON.parse(SecretString) as RdsSecret;
  const auth = `${encodeURIComponent(secret.username)}:${encodeURIComponent(secret.password)}`;
  return `postgres://${auth}@${secret.host}:${secret.port ?? 5432}/${secret.dbname ?? 'postgres'}?sslmode=no-verify`;
}

/** Where the database is: `DATABASE_URL`, or in AWS the secret named by `DB_SECRET_ARN`. */
export async function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { DATABASE_URL, DB_SECRET_ARN } = readEnvironment(env);
  if (DATABASE_URL) return DATABASE_URL;
  return urlFromSecret(requireSetting(DB_SECRET_ARN, 'DATABASE_URL or DB_SECRET_ARN'));
}

/** A pool with the settings every Chute process uses; errors of idle clients must not crash it. */
export function createPool(connectionString: string, max = 4): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => {
    // An idle client lost its connection (server restart): the pool drops it and reconnects later.
  });
  return pool;
}

let sharedPool: Promise<pg.Pool> | undefined;

/** The process-wide pool, created on first use (once per Lambda container). */
export function getPool(): Promise<pg.Pool> {
  sharedPool ??= resolveDatabaseUrl().then((url) => createPool(url, readEnvironment().DB_POOL_SIZE));
  sharedPool.catch(() => (sharedPool = undefined));
  return sharedPool;
}

const statementNames = new Map<string, string>();

/** A name per statement text: pg prepares a named statement once per connection. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `chute_${statementNames.size + 1}`));
  return name;
}

/**
 * Runs one statement (atomic on its own), with pg errors translated. Statements are prepared
 * once per connection: the load and lookups run per batch, and planning them each time was a
 * good part of PostgreSQL's work.
 */
export async function query<T extends pg.QueryResultRow>(
  pool: pg.Pool,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  try {
    return (await pool.query<T>({ name: statementName(sql), text: sql, values: params as unknown[] })).rows;
  } catch (error) {
    throw translatePgError(error);
  }
}

/** The enrich stage's LookupPort over a pool. */
export function createLookupPort(pool: pg.Pool): LookupPort {
  return { query: (sql, params) => query(pool, sql, params) };
}
