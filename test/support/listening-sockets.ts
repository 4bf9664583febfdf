import { readdir, readFile, readlink } from 'node:fs/promises';

/**
 * What a process listens on, read from /proc: `address:port` of its TCP sockets (IPv4 and IPv6)
 * and the paths of its Unix-domain sockets. `pid` defaults to this process.
 */
export async function listeningSockets(
  pid: number | 'self' = 'self',
): Promise<{ tcp: string[]; unix: string[] }> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const tcp: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of (await readFile(`/proc/${pid}/net/${table}`, 'utf8')).trim().split('\n').slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (state !== '0A' || !inodes.has(inode!)) continue; // 0A: LISTEN
      const [hex, port] = local!.split(':');
      tcp.push(`${decodeAddress(hex!)}:${parseInt(port!, 16)}`);
    }
  }
  const unix: string[] = [];
  for (const line of (await readFile(`/proc/${pid}/net/unix`, 'utf8')).trim().split('\n').slice(1)) {
    const [, , , flags, , , inode, path] = line.trim().split(/\s+/);
    if (flags === '00010000' && inodes.has(inode!)) unix.push(path ?? '(unnamed)'); // __SO_ACCEPTCON: listening
  }
  return { tcp, unix };
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
