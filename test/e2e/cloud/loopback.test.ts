import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../../local/services/cloud.ts';

/** `address:port` of every TCP socket this process listens on, read from /proc (IPv4 and IPv6). */
async function listeningAddresses(): Promise<string[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8')).trim().split('\n').slice(1);
    for (const line of lines) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (state !== '0A' || !inodes.has(inode!)) continue; // 0A: LISTEN
      const [hex, port] = local!.split(':');
      addresses.push(`${decodeAddress(hex!)}:${parseInt(port!, 16)}`);
    }
  }
  return addresses;
}

// /proc/net/tcp writes an IPv4 address as one little-endian word, tcp6 as four.
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((word) => word.match(/../g)!.reverse().join(''));
  if (words.length === 1)
    return words[0]!
      .match(/../g)!
      .map((byte) => parseInt(byte, 16))
      .join('.');
  const v6 = words.join('');
  if (v6 === '0'.repeat(32)) return '::';
  if (v6 === `${'0'.repeat(31)}1`) return '::1';
  return v6.match(/.{4}/g)!.join(':');
}

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
    const before = new Set(await listeningAddresses());
    cloud = await startLocalCloud({ port: 0, dataDir, timeScale: 0 });

    const opened = (await listeningAddresses()).filter((address) => !before.has(address));
    expect(opened.length).toBeGreaterThanOrEqual(3);
    expect(opened).toContain(`127.0.0.1:${cloud.port}`);
    expect(opened.filter((address) => !address.startsWith('127.0.0.1:'))).toEqual([]);
  }, 60_000);
});
