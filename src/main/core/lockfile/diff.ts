import type { PackageChange } from '../../../shared/contract/project';
import type { LockedPackage } from './parse';

export interface PackageDiff {
  added: PackageChange[];
  removed: PackageChange[];
  changed: PackageChange[];
}

const byName = (a: PackageChange, b: PackageChange) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });

/** What changed going from the locked packages to the installed ones (names compared PEP 503-style). */
export function diffPackages(locked: LockedPackage[], installed: LockedPackage[]): PackageDiff {
  const before = new Map(locked.map((p) => [p.key, p]));
  const after = new Map(installed.map((p) => [p.key, p]));
  const added: PackageChange[] = [];
  const removed: PackageChange[] = [];
  const changed: PackageChange[] = [];
  for (const [key, now] of after) {
    const was = before.get(key);
    if (!was) added.push({ name: now.name, to: now.version });
    else if (was.version !== now.version) changed.push({ name: now.name, from: was.version, to: now.version });
  }
  for (const [key, was] of before) {
    if (!after.has(key)) removed.push({ name: was.name, from: was.version });
  }
  return { added: added.sort(byName), removed: removed.sort(byName), changed: changed.sort(byName) };
}

/**
 * A lockfile for the installed packages: the original's leading comment block (it says how the file
 * is made and used) followed by `name==version` lines sorted case-insensitively, as the image's is.
 */
export function proposeLockfile(originalText: string, installed: LockedPackage[]): string {
  const header: string[] = [];
  for (const line of originalText.split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    header.push(line);
  }
  const lines = [...installed]
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }))
    .map((p) => (p.version.includes(':') ? `${p.name} @ ${p.version}` : `${p.name}==${p.version}`));
  return `${[...header, ...lines].join('\n')}\n`;
}
