import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Whether the file system holding `dir` treats names that differ only in case as one (macOS and
 * Windows by default; a casefolded ext4 folder too): compares the folder with its own name in the
 * other case. Falls back to the platform's default when the name has no letters or cannot be read.
 */
export async function isCaseInsensitive(dir: string): Promise<boolean> {
  const name = basename(dir);
  const swapped = [...name].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  const fallback = process.platform === 'darwin' || process.platform === 'win32';
  if (swapped === name) return fallback;
  try {
    const [a, b] = await Promise.all([stat(dir), stat(join(dirname(dir), swapped)).catch(() => undefined)]); // no such name: case matters here
    return !!b && a.ino === b.ino && a.dev === b.dev;
  } catch {
    return fallback; // the folder is missing: the sync's own checks say so; the default is the safe guess
  }
}
