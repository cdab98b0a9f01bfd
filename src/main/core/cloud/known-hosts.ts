import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostLookupName } from '../ssh/known-hosts';

/**
 * known_hosts lines for cloud VMs. A VM's external address changes with every start and is reused
 * by other VMs later, so each line Benchtop writes carries a comment naming the VM
 * (`benchtop-gce:<project>/<zone>/<name>`), and only such lines are ever replaced or removed:
 * lines the user (or ssh) wrote are left alone.
 */
export const vmMarker = (project: string, zone: string, name: string): string => `benchtop-gce:${project}/${zone}/${name}`;

const MARK = 'benchtop-gce:';

export interface HostKeyLine {
  keyType: string;
  keyBase64: string;
}

/** Writes the VM's keys for `address`, dropping Benchtop's older lines for this VM or this address. */
export async function recordVmHostKeys(path: string, marker: string, address: string, keys: HostKeyLine[]): Promise<void> {
  const name = hostLookupName(address, 22);
  let current = '';
  try {
    current = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fresh = keys.map((k) => `${name} ${k.keyType} ${k.keyBase64} ${marker}`);
  const lines = current.split('\n');
  const stale = (line: string) => {
    const comment = line.trim().split(/\s+/)[3] ?? '';
    return comment.startsWith(MARK) && (comment === marker || line.trim().split(/\s+/)[0] === name);
  };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  if (!lines.some(stale)) {
    const prefix = current.length > 0 && !current.endsWith('\n') ? '\n' : '';
    await appendFile(path, `${prefix}${fresh.join('\n')}\n`, { mode: 0o600 });
    return;
  }
  const kept = lines.filter((l) => !stale(l) && l !== '');
  const temp = `${path}.benchtop-${process.pid}`;
  await writeFile(temp, `${[...kept, ...fresh].join('\n')}\n`, { mode: 0o600 });
  await rename(temp, path);
}

/** Removes Benchtop's lines for a deleted VM. */
export async function forgetVmHostKeys(path: string, marker: string): Promise<void> {
  let current: string;
  try {
    current = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const lines = current.split('\n');
  const kept = lines.filter((l) => (l.trim().split(/\s+/)[3] ?? '') !== marker);
  if (kept.length === lines.length) return;
  const temp = `${path}.benchtop-${process.pid}`;
  await writeFile(temp, kept.join('\n'), { mode: 0o600 });
  await rename(temp, path);
}
