import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { clientsFor } from '../../../local/services/aws-clients.ts';
import {
  chuteUp,
  exited,
  pipelineDatabase,
  repoRoot,
  stopChuteUps,
  type Up,
} from '../../support/chute-up.ts';
import { listeningSockets } from '../../support/listening-sockets.ts';

// `chute up` as users run it, in a process of its own: what it leaves in its data dir, and how it
// starts again after being killed. The embedded PostgreSQL, not DATABASE_URL's.
const run = promisify(execFile);
const { DATABASE_URL: _unused, ...env } = process.env;
const cliEnv = {
  ...env,
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_DEFAULT_REGION: 'us-east-1',
};
const asRoot = process.getuid?.() === 0;

async function succeeded(url: string): Promise<number> {
  const { sfn } = clientsFor(url);
  for (let i = 0; i < 600; i++) {
    const { executions } = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:chute-pipeline',
      }),
    );
    if (executions?.some((e) => e.status === 'SUCCEEDED')) return executions.length;
    if (executions?.some((e) => e.status !== 'RUNNING')) throw new Error(JSON.stringify(executions));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the execution did not end');
}

describe('chute up and its data dir', () => {
  let dataDir: string;
  let first: Up | undefined;
  let again: Up | undefined;
  let orders = 0;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chute-up-'));
  });
  afterAll(async () => {
    await stopChuteUps(dataDir, [first, again]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("loads a file as a role that is no superuser, whose random password is the data dir's alone", async () => {
    first = await chuteUp(dataDir);
    await run(
      'aws',
      ['--endpoint-url', first.url, 's3', 'cp', 'samples/orders.csv', 's3://chute/input/orders/orders.csv'],
      { cwd: repoRoot, env: cliEnv },
    );
    await succeeded(first.url);

    const db = await pipelineDatabase(dataDir);
    try {
      orders = Number((await db.query('SELECT count(*) AS n FROM orders')).rows[0].n);
      expect(orders).toBeGreaterThan(0);
      const me = await db.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      expect(me.rows).toEqual([{ rolsuper: false }]);
      await expect(db.query(`COPY (SELECT 1) TO PROGRAM 'touch /tmp/chute-owned'`)).rejects.toMatchObject({
        code: '42501', // insufficient_privilege
      });
      // It owns the database: migrations (and the tests' fixtures) can create tables in it.
      await db.query('CREATE TABLE scratch (id int)');
      await db.query('DROP TABLE scratch');
    } finally {
      await db.end();
    }
    // PostgreSQL listens on loopback, and on no Unix socket (in /tmp, for every local user to try).
    const postmaster = Number(
      (await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    const sockets = await listeningSockets(postmaster);
    expect(sockets.tcp).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
    expect(sockets.unix).toEqual([]);
    const credentials = await stat(join(dataDir, 'postgres', 'chute-credentials.json'));
    expect(credentials.mode & 0o777).toBe(0o600);
  }, 180_000);

  it("a second chute up on the same data dir fails with a clear error and leaves the first one's PostgreSQL running", async () => {
    await expect(chuteUp(dataDir)).rejects.toThrow(
      /chute: The data dir \S+ is in use by another running Chute \(process \d+\)/,
    );

    const db = await pipelineDatabase(dataDir);
    try {
      expect(Number((await db.query('SELECT count(*) AS n FROM orders')).rows[0].n)).toBe(orders);
    } finally {
      await db.end();
    }
  }, 120_000);

  it('after a kill -9, chute up comes up again on the same data dir, with its rows and objects', async () => {
    first!.child.kill('SIGKILL');
    await exited(first!.child);

    again = await chuteUp(dataDir);
    const db = await pipelineDatabase(dataDir);
    try {
      expect(Number((await db.query('SELECT count(*) AS n FROM orders')).rows[0].n)).toBe(orders);
    } finally {
      await db.end();
    }
    const head = await clientsFor(again.url).s3.send(
      new HeadObjectCommand({ Bucket: 'chute', Key: 'input/orders/orders.csv' }),
    );
    expect(head.ContentLength).toBeGreaterThan(0);
  }, 120_000);

  it('every file it keeps is 600 and every directory 700 (the data dir 711 as root, for PostgreSQL)', async () => {
    again!.child.kill('SIGINT');
    await exited(again!.child);

    const open: string[] = [];
    for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      const mode = (await stat(path)).mode & 0o777;
      if (mode !== (entry.isDirectory() ? 0o700 : 0o600))
        open.push(`${relative(dataDir, path)} ${mode.toString(8)}`);
    }
    expect(open).toEqual([]);
    expect((await stat(dataDir)).mode & 0o777).toBe(asRoot ? 0o711 : 0o700);
  }, 60_000);
});
