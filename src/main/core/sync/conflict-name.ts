import { LOCKFILE_REL } from './tree';

/**
 * `analysis (conflict from gpu-box 2026-11-23 1412).ipynb`: says whose version it is and when, keeps
 * the extension so it still opens in Jupyter, and never reuses a name already present.
 */
export function conflictCopyName(path: string, from: string, now: Date, taken: ReadonlySet<string>): string {
  // The lockfile's reserved folder is not synced as a folder locally, so its copy goes to the root.
  const source = path === LOCKFILE_REL ? 'environment.lock' : path;
  const slash = source.lastIndexOf('/');
  const dir = slash < 0 ? '' : source.slice(0, slash + 1);
  const name = source.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}${pad(now.getMinutes())}`;
  const label = `conflict from ${from.replace(/[/\\]/g, '-')} ${stamp}`;
  for (let n = 1; ; n += 1) {
    const candidate = `${dir}${stem} (${label}${n > 1 ? ` ${n}` : ''})${ext}`;
    if (!taken.has(candidate)) return candidate;
  }
}
