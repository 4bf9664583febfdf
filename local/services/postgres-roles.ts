import pg from 'pg';

/** The roles of an embedded cluster, with their random passwords (kept in a file of mode 600). */
export interface Credentials {
  superuser: string;
  superuserPassword: string;
  /** The pipeline's role: owns the pipeline's database, may create databases, is no superuser. */
  user: string;
  password: string;
}

/** The pipeline's database. */
export const DATABASE = 'chute';

// Clusters made by Chute before these roles: one superuser `chute`, password "chute", owning all.
const LEGACY = { superuser: 'chute', password: 'chute', user: 'chute_pipeline' };

/** Roles for a new cluster: the bootstrap superuser `postgres` and the pipeline's `chute`. */
export function newCredentials(secret: () => string): Credentials {
  return { superuser: 'postgres', superuserPassword: secret(), user: 'chute', password: secret() };
}

/**
 * Roles for a cluster an older Chute made: its bootstrap superuser `chute` cannot stop being one
 * (PostgreSQL keeps the bootstrap role a superuser), so the pipeline gets a role of its own.
 */
export function legacyCredentials(secret: () => string): Credentials {
  return { superuser: LEGACY.superuser, superuserPassword: secret(), user: LEGACY.user, password: secret() };
}

/**
 * Makes the running cluster match `credentials`: the superuser's password (an older Chute's
 * "chute" is replaced), the pipeline's role (created NOSUPERUSER), and the pipeline's database,
 * owned by that role with the tables in it (an older Chute's were the superuser's). Idempotent,
 * so a start interrupted half-way finishes the job the next time.
 */
export async function ensureRoles(port: number, credentials: Credentials): Promise<void> {
  const admin = await superuserClient(port, credentials, 'postgres');
  try {
    const role = admin.escapeIdentifier(credentials.user);
    const password = admin.escapeLiteral(credentials.password);
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [credentials.user]);
    await admin.query(
      exists.rowCount === 0
        ? `CREATE ROLE ${role} LOGIN CREATEDB NOSUPERUSER PASSWORD ${password}`
        : `ALTER ROLE ${role} LOGIN CREATEDB NOSUPERUSER PASSWORD ${password}`,
    );
    const database = await admin.query<{ owner: string }>(
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [DATABASE],
    );
    if (database.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(DATABASE)} OWNER ${role}`);
      return;
    }
    if (database.rows[0]!.owner === credentials.user) return;
    const tables = await superuserClient(port, credentials, DATABASE);
    try {
      await tables.query(giveTablesTo(credentials.user));
    } finally {
      await tables.end();
    }
    await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(DATABASE)} OWNER TO ${role}`);
  } finally {
    await admin.end();
  }
}

// Tables, views and free-standing sequences of `public` (a table's own sequences and indexes follow it).
function giveTablesTo(user: string): string {
  const role = user.replaceAll("'", "''");
  return `DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND (c.relkind IN ('r', 'p', 'v', 'm', 'f') OR (c.relkind = 'S' AND NOT EXISTS (
        SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))))
    LOOP
      EXECUTE format('ALTER %s %s OWNER TO %I',
        CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
          WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.name, '${role}');
    END LOOP;
  END $$`;
}

/**
 * The superuser's connection. Its password is the saved one, unless the cluster is an older
 * Chute's still on "chute" (first start since, or one that stopped before changing it): then it
 * connects with that and changes it to the saved one.
 */
async function superuserClient(port: number, credentials: Credentials, database: string): Promise<pg.Client> {
  const connect = async (password: string) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: credentials.superuser,
      password,
      database,
    });
    await client.connect();
    return client;
  };
  try {
    return await connect(credentials.superuserPassword);
  } catch (error) {
    // 28P01: invalid_password
    if ((error as { code?: string }).code !== '28P01' || credentials.superuser !== LEGACY.superuser)
      throw error;
    const client = await connect(LEGACY.password);
    await client.query(
      `ALTER ROLE ${client.escapeIdentifier(credentials.superuser)} PASSWORD ${client.escapeLiteral(credentials.superuserPassword)}`,
    );
    return client;
  }
}
