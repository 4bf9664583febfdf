import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.ts';

const chute = fileURLToPath(new URL('../../../bin/chute.js', import.meta.url));

let database: ScratchDatabase;
beforeAll(async () => {
  database = await createScratchDatabase();
});
afterAll(async () => {
  await database.drop();
});

/**
 * `chute up` (bin/chute.js, which re-runs itself with a capped heap), alone or under a shell that
 * stands in for npx: a shell killed by SIGTERM dies without passing it on, as npm does. Resolves
 * once chute is ready.
 */
async function startUp(data: string, underShell: boolean) {
  const command = `"${process.execPath}" "${chute}" up --port 0 --data "${data}"`;
  const shell = spawn(
    underShell ? 'sh' : process.execPath,
    underShell ? ['-c', `${command}; :`] : [chute, 'up', '--port', '0', '--data', data],
    {
      env: { ...process.env, DATABASE_URL: database.url },
      detached: true, // its own process group, so the test can always clean up behind it
    },
  );
  let stdout = '';
  shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const output = () => stdout;
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`chute up did not start:\n${stdout}`)), 60_000);
    shell.stdout.on('data', () => {
      if (stdout.includes('Try:')) {
        clearTimeout(deadline);
        resolve();
      }
    });
  });
  const cleanUp = () => {
    try {
      process.kill(-shell.pid!, 'SIGKILL');
    } catch {
      // the group is gone already
    }
    shell.stdout.destroy();
  };
  return { shell, output, cleanUp };
}

const until = async (condition: () => boolean, ms: number) => {
  for (const deadline = Date.now() + ms; !condition() && Date.now() < deadline;)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return condition();
};

describe('stopping chute up', () => {
  it.each([
    ['its parent gets SIGTERM and dies without passing it on (as npx does)', 'SIGTERM', true],
    ['the chute process itself gets SIGTERM', 'SIGTERM', false],
  ] as const)(
    'stops cleanly when %s',
    async (_, signal, underShell) => {
      const data = await mkdtemp(join(tmpdir(), 'chute-stop-'));
      const { shell, output, cleanUp } = await startUp(data, underShell);

      try {
        shell.kill(signal);

        expect(await until(() => output().includes('stopped'), 30_000)).toBe(true);
        expect(existsSync(join(data, 'chute.pid'))).toBe(false);
      } finally {
        cleanUp();
        await rm(data, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
