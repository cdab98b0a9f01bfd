/**
 * The shape both sides of a sync are described in: a map from a POSIX path relative to the
 * notebooks root to what is there. Files carry size, a change stamp (mtime in nanoseconds and the
 * inode, as a string so no precision is lost) and, once known, their sha256; folders are listed too
 * so empty ones sync.
 */
export interface FileEntry {
  type: 'file';
  size: number;
  /**
   * The change stamp `mtime_ns:inode` (decimal). The inode is there because a rename over a file of
   * the same size keeps the mtime of the file renamed, which a coarse clock can make equal to the
   * replaced one's; stamps of older states (mtime only) simply never match, so those files are hashed.
   */
  mtime: string;
  /** Permission bits (0o644…); the executable bit is kept across sides. */
  mode: number;
  sha256?: string;
}

export interface DirEntry {
  type: 'dir';
}

export type Entry = FileEntry | DirEntry;
export type Tree = Map<string, Entry>;

/** What the last completed sync left on both sides, per path: the common content and each side's stamp. */
export interface BaseEntry {
  type: 'file' | 'dir';
  sha256?: string;
  size?: number;
  /** The local file's mtime when it last matched this content. */
  localMtime?: string;
  /** The remote file's mtime when it last matched this content. */
  remoteMtime?: string;
}

export type Base = Map<string, BaseEntry>;

/** The project lockfile travels with the notebooks under this reserved path in the volume. */
export const LOCKFILE_REL = '.benchtop/environment.lock';

/** Names never synced: Jupyter's checkpoints, Benchtop's own staging area and half-written temp files. */
export const STAGING_DIR = '.benchtop-sync';
export const TEMP_MARKER = '.benchtop-tmp-';

export function isIgnoredName(name: string): boolean {
  return name === '.ipynb_checkpoints' || name === STAGING_DIR || name.includes(TEMP_MARKER);
}

/** A file's content is known to be the base's when size and mtime still match what the base recorded. */
export function sameStamp(entry: FileEntry, size: number | undefined, mtime: string | undefined): boolean {
  return mtime !== undefined && entry.size === size && entry.mtime === mtime;
}

/** True when two entries hold the same content (both absent, both folders, or files with one hash). */
export function sameContent(a: Entry | BaseEntry | undefined, b: Entry | BaseEntry | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.type !== b.type) return false;
  return a.type === 'dir' || (a as FileEntry | BaseEntry).sha256 === (b as FileEntry | BaseEntry).sha256;
}
