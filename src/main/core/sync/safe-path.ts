/**
 * Names that arrive from the other side of a sync are untrusted: a path is checked before anything
 * touches the disk with it. The rules that always hold keep a path inside the notebooks folder; the
 * Windows rules refuse names that Windows would read as a path, a device or a stream instead of a
 * file name (they are fine on Linux and macOS, so there they pass).
 */
export type PathPlatform = 'posix' | 'win32';

/** Windows device names: `CON`, `com1.txt`… open the device, not a file, in any folder. */
const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

/** Why `rel` must not be written on this side, or undefined when it is safe. */
export function unsafeReason(rel: string, platform: PathPlatform = hostPlatform()): string | undefined {
  if (rel.length === 0) return 'has an empty name';
  if (rel.includes('\0')) return 'contains a NUL character';
  if (rel.startsWith('/')) return 'is an absolute path';
  for (const segment of rel.split('/')) {
    if (segment === '') return 'has an empty folder name (a double slash)';
    if (segment === '.' || segment === '..') return `has a "${segment}" segment that would leave its folder`;
  }
  if (platform !== 'win32') return undefined;
  if (rel.includes('\\')) return 'contains a backslash, which Windows reads as a folder separator';
  if (/^[a-zA-Z]:/.test(rel)) return 'starts with a drive letter';
  if (rel.includes(':')) return 'contains a colon, which Windows reads as an alternate data stream';
  for (const segment of rel.split('/')) {
    if (RESERVED_WINDOWS.test(segment)) return `uses "${segment}", a device name on Windows`;
    if (/[<>"|?*]/.test(segment) || [...segment].some((c) => c.charCodeAt(0) < 32)) return `has a character Windows does not allow in "${segment}"`;
    if (/[. ]$/.test(segment)) return `has "${segment}", which Windows silently changes (trailing dot or space)`;
  }
  return undefined;
}

export function hostPlatform(): PathPlatform {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

/** How two names collide on a case-insensitive file system (macOS, Windows): case and Unicode form folded. */
export function foldCase(rel: string): string {
  return rel.normalize('NFC').toLowerCase();
}

export interface RefusedPath {
  path: string;
  reason: string;
}

/**
 * The paths of `incoming` (the other side's tree) that this side must not write, and why: unsafe
 * names, and, on a case-insensitive file system, names that differ only in case from another one on
 * either side (writing one would silently overwrite the other). `here` is this side's tree.
 */
export function refusedPaths(incoming: Iterable<string>, here: Iterable<string>, options: { platform?: PathPlatform; caseInsensitive: boolean }): RefusedPath[] {
  const refused: RefusedPath[] = [];
  const incomingList = [...incoming];
  for (const rel of incomingList) {
    const reason = unsafeReason(rel, options.platform);
    if (reason) refused.push({ path: rel, reason });
  }
  if (!options.caseInsensitive) return refused;
  const spellings = new Map<string, Set<string>>();
  for (const rel of [...here, ...incomingList]) {
    const key = foldCase(rel);
    let set = spellings.get(key);
    if (!set) spellings.set(key, (set = new Set()));
    set.add(rel);
  }
  const already = new Set(refused.map((r) => r.path));
  const local = new Set(here);
  for (const rel of incomingList) {
    if (already.has(rel) || local.has(rel)) continue;
    // The spelling this side already has is the one kept; any other spelling would land on it.
    const other = [...(spellings.get(foldCase(rel)) ?? [])].find((o) => o !== rel);
    if (other !== undefined) refused.push({ path: rel, reason: `differs only in case from "${other}", and this file system does not tell them apart` });
  }
  return refused;
}
