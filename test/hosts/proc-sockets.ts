import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** An established TCP connection of this process, from the kernel's tables (not from Benchtop). */
export interface OwnConnection {
  localPort: number;
  remote: string;
}

function ipv4(hex: string): string {
  // /proc/net/tcp prints the address as one little-endian 32-bit word.
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

/** The established TCP connections this process holds to `host:port`. */
export function ownConnectionsTo(host: string, port: number): OwnConnection[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m) inodes.add(m[1]);
    } catch {
      // the fd closed while we looked
    }
  }
  const found: OwnConnection[] = [];
  for (const line of readFileSync('/proc/self/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== '01' || !inodes.has(f[9])) continue;
    const [remHex, remPort] = f[2].split(':');
    if (ipv4(remHex) === host && parseInt(remPort, 16) === port) {
      found.push({ localPort: parseInt(f[1].split(':')[1], 16), remote: `${host}:${port}` });
    }
  }
  return found;
}
