import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const chute = fileURLToPath(new URL('../../../bin/chute.js', import.meta.url));

describe('the chute command', () => {
  it('says so, and exits 1, when the local cloud it reads is not running', () => {
    const run = spawnSync(process.execPath, [chute, 'files', '--endpoint', 'http://127.0.0.1:9'], {
      encoding: 'utf8',
    });

    expect(run.stderr).toContain('nothing answers at 127.0.0.1:9');
    expect(run.stderr).toContain('chute up');
    expect(run.status).toBe(1);
  });
});
