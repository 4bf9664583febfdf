import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';
import { listeningSockets } from '../../support/listening-sockets.ts';

describe('the local cloud listens on loopback only', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chute-loopback-'));
  });
  afterAll(async () => {
    await cloud?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('every socket it listens on (edge, fauxqs, dynalite) is on 127.0.0.1', async () => {
    const before = new Set((await listeningSockets()).tcp);
    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });

    const opened = (await listeningSockets()).tcp.filter((address) => !before.has(address));
    expect(opened.length).toBeGreaterThanOrEqual(3);
    expect(opened).toContain(`127.0.0.1:${cloud.port}`);
    expect(opened.filter((address) => !address.startsWith('127.0.0.1:'))).toEqual([]);
  }, 60_000);
});
