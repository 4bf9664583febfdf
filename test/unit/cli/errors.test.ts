import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { lockDataDir } from '../../../local/services/data-dir-lock.ts';
import { startSfn, type RunningSfn } from '../../support/sfn-server.ts';

const chute = fileURLToPath(new URL('../../../bin/chute.js', import.meta.url));
const samples = fileURLToPath(new URL('../../../samples/', import.meta.url));

/** Runs the real `chute` command (asynchronously: the API it may call runs in this process). */
function runChute(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [chute, ...args], { env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// Each case starts the real command, a Node process of its own: seconds on a busy machine.
jest.setTimeout(60_000);

let sfn: RunningSfn;
beforeAll(async () => {
  sfn = await startSfn();
});
afterAll(async () => {
  await sfn.close();
});

describe('a mistake on the command line', () => {
  const data = mkdtempSync(join(tmpdir(), 'chute-cli-'));
  const textFile = join(data, 'notes.txt');
  writeFileSync(textFile, 'hello');

  it.each([
    ['a missing file', ['run', '--data', data, join(samples, 'nope.csv')], 'nope.csv: no such file'],
    ['a directory', ['run', '--data', data, samples], 'is a directory: name the files in it'],
    ['a .txt file', ['run', '--data', data, textFile], 'only .csv, .json and .jsonl files are ingested'],
    ['an unknown command', ['frobnicate'], "unknown command 'frobnicate'"],
  ])('%s: one line saying what is wrong, exit 1', async (_, args, message) => {
    const run = await runChute(...args);

    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.status).toBe(1);
  });

  it('a data dir another chute holds: says so, does not touch it', async () => {
    const lock = await lockDataDir(data); // this live process holds it

    const run = await runChute('run', '--data', data, join(samples, 'orders.csv'));

    await lock.release();
    expect(run.stderr.trim()).toMatch(
      /^chute: The data dir .* is in use by another running Chute \(process \d+\)/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.status).toBe(1);
  });

  it('a bad ARN: the service error in one line, not the SDK trace', async () => {
    const run = await runChute('history', 'not-an-arn', '--endpoint', sfn.url);

    expect(run.stderr.trim()).toMatch(/^chute: InvalidArn: /);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.status).toBe(1);
  });

  it('the history of an Express execution (a pipeline batch): says AWS keeps none, in one line', async () => {
    const arn = 'arn:aws:states:us-east-1:000000000000:express:chute-pipeline/Rows:run:batch';

    const run = await runChute('history', arn, '--endpoint', sfn.url);

    expect(run.stderr.trim()).toMatch(/^chute: .* AWS keeps no execution history for Express executions/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.status).toBe(1);
  });

  it("every command's --help shows an example", async () => {
    const commands = ['run', 'rows', 'up', 'history', 'files', 'executions', 'redrive', 'stepfunctions'];

    const runs = await Promise.all(commands.map((command) => runChute(command, '--help')));

    for (const run of runs) {
      expect(run.stdout).toMatch(/Examples?:\n\s+\$ chute /);
      expect(run.status).toBe(0);
    }
  });
});
