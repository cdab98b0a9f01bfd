import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { systemCode } from '../errors';
import { BenchtopError } from '../errors';
import type { RootState } from './guards';
import type { LocalTrash } from './trash';
import { isIgnoredName, LOCKFILE_REL, TEMP_MARKER, type FileEntry, type Tree } from './tree';

/** Where this sync keeps what it removes or overwrites on this computer. */
export interface TrashTarget {
  store: LocalTrash;
  batch: string;
}

/** What a local file looked like when it was last hashed: reused while size and mtime are unchanged. */
export type HashCache = Map<string, { size: number; mtime: string; sha256: string }>;

/**
 * The local side of a sync: the project's notebooks folder, plus the project lockfile under a
 * reserved path. Knows how to list it cheaply, hash only what changed, and write a file so that it is
 * either the old one or the whole new one, never half of it.
 */
export class LocalTree {
  constructor(
    readonly notebooksDir: string,
    readonly lockfilePath: string | undefined,
    /** Set for a sync: every file it deletes or overwrites is kept there first. */
    readonly trash?: TrashTarget,
  ) {}

  /** Whether the notebooks folder is there (the sync never takes a missing one for "all deleted"). */
  async rootState(): Promise<RootState> {
    try {
      return (await stat(this.notebooksDir)).isDirectory() ? 'folder' : 'not-a-folder';
    } catch (error) {
      if (systemCode(error) === 'ENOENT') return 'missing';
      if (systemCode(error) === 'ENOTDIR') return 'not-a-folder';
      throw error;
    }
  }

  /** Where a synced path lives on this computer. */
  pathOf(rel: string): string {
    if (rel === LOCKFILE_REL && this.lockfilePath) return this.lockfilePath;
    return join(this.notebooksDir, ...rel.split('/'));
  }

  /** The lockfile travels separately unless it already sits inside the notebooks folder. */
  get #lockfileSeparate(): boolean {
    if (!this.lockfilePath) return false;
    const rel = relative(this.notebooksDir, this.lockfilePath);
    return rel.startsWith('..') || rel === '' || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel);
  }

  /**
   * Lists every folder and regular file (symlinks and special files are not synced, and never
   * followed). A missing notebooks folder lists as empty: whether that may mean "deleted" is for the
   * sync's guards to decide, with `rootState()`.
   */
  async scan(): Promise<Tree> {
    const tree: Tree = new Map();
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      await Promise.all(entries.map(async (dirent) => {
        const name = dirent.name;
        const full = join(dir, name);
        if (name.includes(TEMP_MARKER) && dirent.isFile()) {
          // Left by an interrupted sync: never a finished file, so it goes.
          await unlink(full).catch(() => undefined); // gone already, or held open on Windows: the next scan retries
          return;
        }
        // `.benchtop` at the root is Benchtop's own (trash, staging; the lockfile has its reserved
        // path): never synced, so the trash stays out of the synced tree even when the notebooks
        // folder is the project folder itself.
        if (isIgnoredName(name) || (prefix === '' && name === '.benchtop')) return;
        const rel = prefix + name;
        if (dirent.isDirectory()) {
          tree.set(rel, { type: 'dir' });
          await walk(full, `${rel}/`);
        } else if (dirent.isFile()) {
          const entry = await fileEntry(full);
          if (entry) tree.set(rel, entry);
        }
      }));
    };
    if ((await this.rootState()) === 'folder') await walk(this.notebooksDir, '');
    if (this.lockfilePath && this.#lockfileSeparate) {
      const entry = await fileEntry(this.lockfilePath);
      if (entry) tree.set(LOCKFILE_REL, entry);
    }
    return tree;
  }

  /**
   * Fills in sha256 for files whose size or mtime moved since the cache (or the base) saw them, when
   * `needed`: a file only this side has (and the base never had) is sent whole anyway and hashed
   * while it streams, so it is not read twice.
   */
  async hash(tree: Tree, known: (rel: string, entry: FileEntry) => string | undefined, cache: HashCache, needed: (rel: string) => boolean): Promise<number> {
    let hashed = 0;
    const todo: [string, FileEntry][] = [];
    for (const [rel, entry] of tree) {
      if (entry.type !== 'file') continue;
      const cached = cache.get(rel);
      const sha = cached && cached.size === entry.size && cached.mtime === entry.mtime ? cached.sha256 : known(rel, entry);
      if (sha) entry.sha256 = sha;
      else if (needed(rel)) todo.push([rel, entry]);
    }
    // A few at a time: enough to overlap disk waits without opening thousands of files at once.
    const workers = Array.from({ length: 8 }, async () => {
      for (let next = todo.pop(); next; next = todo.pop()) {
        const [rel, entry] = next;
        entry.sha256 = await sha256File(this.pathOf(rel));
        hashed += 1;
      }
    });
    await Promise.all(workers);
    for (const [rel, entry] of tree) {
      if (entry.type === 'file' && entry.sha256) cache.set(rel, { size: entry.size, mtime: entry.mtime, sha256: entry.sha256 });
    }
    return hashed;
  }

  /** True when the file at rel is still what the scan saw (or still absent), so replacing it loses nothing. */
  async unchangedSince(rel: string, seen: FileEntry | undefined): Promise<boolean> {
    const now = await fileEntry(this.pathOf(rel));
    if (!seen || !now) return !seen && !now && !(await exists(this.pathOf(rel)));
    return now.size === seen.size && now.mtime === seen.mtime;
  }

  /**
   * Writes a file atomically: a temp file in the same folder, fsync, then rename over the target,
   * but only if `accept` (checked right before the rename) still agrees. Returns the new stamp and
   * hash, or undefined when the write was given up and the temp file removed.
   */
  async writeAtomic(rel: string, content: AsyncIterable<Uint8Array>, mode: number, accept: () => Promise<boolean>): Promise<FileEntry | undefined> {
    const target = this.pathOf(rel);
    await this.#makeParents(rel);
    // The name's start only: the whole of a long name (up to 255 bytes) would not fit beside the marker.
    const temp = join(dirname(target), `.${randomBytes(4).toString('hex')}${TEMP_MARKER}${Buffer.from(basenameOf(target)).subarray(0, 64).toString('utf8')}`);
    const hash = createHash('sha256');
    const handle = await open(temp, 'wx', (mode & 0o777) | 0o600);
    try {
      for await (const chunk of content) {
        hash.update(chunk);
        await handle.write(chunk);
      }
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined); // the write's error (rethrown below) is the one to report
      await unlink(temp).catch(() => undefined); // a temp file left behind is swept by the next scan
      throw error;
    }
    await handle.close();
    if (!(await accept())) {
      await unlink(temp);
      return undefined;
    }
    // The version being replaced is kept first (a hard link: the rename below leaves it whole).
    if (this.trash && (await fileEntry(target))) await this.trash.store.keep(target, this.trash.batch, 'replaced', rel);
    await rename(temp, target);
    const entry = await fileEntry(target);
    if (!entry) return undefined;
    entry.sha256 = hash.digest('hex');
    return entry;
  }

  /** Removes a file if it is still what the scan saw; false when it changed meanwhile and was kept. */
  async deleteFile(rel: string, seen: FileEntry): Promise<boolean> {
    if (!(await this.unchangedSince(rel, seen))) return false;
    await this.#checkParents(rel);
    if (this.trash) await this.trash.store.keep(this.pathOf(rel), this.trash.batch, 'deleted', rel);
    await unlink(this.pathOf(rel)).catch((error: unknown) => {
      if (systemCode(error) !== 'ENOENT') throw error;
    });
    return true;
  }

  /** Removes a folder only when empty: anything new inside keeps it. */
  async removeDir(rel: string): Promise<boolean> {
    try {
      await rmdir(this.pathOf(rel));
      return true;
    } catch (error) {
      const code = systemCode(error);
      if (code === 'ENOENT') return true;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
      throw error;
    }
  }

  async makeDir(rel: string): Promise<void> {
    await this.#makeParents(`${rel}/x`);
  }

  /**
   * Creates the folders above `rel` one at a time, refusing any that is a symlink (or not a folder):
   * a sync neither follows nor creates links, so nothing it writes can land outside the notebooks folder.
   */
  async #makeParents(rel: string): Promise<void> {
    if (rel === LOCKFILE_REL && this.lockfilePath) return mkdir(dirname(this.lockfilePath), { recursive: true }).then(() => undefined);
    const parts = rel.split('/').slice(0, -1);
    let dir = this.notebooksDir;
    await mkdir(dir, { recursive: true });
    for (const part of parts) {
      dir = join(dir, part);
      try {
        await mkdir(dir);
      } catch (error) {
        if (systemCode(error) !== 'EEXIST') throw error;
        if (!(await lstat(dir)).isDirectory()) throw unsafeParent(rel, dir);
      }
    }
  }

  /** Refuses a path whose folders include a symlink: deleting through it would touch files elsewhere. */
  async #checkParents(rel: string): Promise<void> {
    if (rel === LOCKFILE_REL && this.lockfilePath) return;
    let dir = this.notebooksDir;
    for (const part of rel.split('/').slice(0, -1)) {
      dir = join(dir, part);
      const s = await lstat(dir).catch(() => undefined); // missing: the delete finds nothing either
      if (s && !s.isDirectory()) throw unsafeParent(rel, dir);
    }
  }

  /**
   * Reads a small file for upload whole: exactly the scan's size, so the tar header stays true. A
   * file that shrank since the scan fails the sync the same way a short stream does (nothing was
   * changed yet; the next sync sends what is there then).
   */
  async readWhole(rel: string, size: number): Promise<Buffer> {
    const handle = await open(this.pathOf(rel), 'r');
    try {
      const buffer = Buffer.allocUnsafe(size);
      let got = 0;
      while (got < size) {
        const { bytesRead } = await handle.read(buffer, got, size - got, got);
        if (bytesRead === 0) throw new Error(`${rel} got shorter while it was being sent (${got} of ${size} bytes)`);
        got += bytesRead;
      }
      return buffer;
    } finally {
      await handle.close();
    }
  }

  /** Reads a non-empty file for upload, capped at the scan's size so the tar header stays true. */
  readStream(rel: string, size: number): NodeJS.ReadableStream {
    // Large reads: fewer, bigger chunks through tar, HTTP and SSH cost less per byte.
    return createReadStream(this.pathOf(rel), { start: 0, end: size - 1, highWaterMark: 1024 * 1024 });
  }
}

function unsafeParent(rel: string, dir: string): BenchtopError {
  return new BenchtopError('SYNC_PATH_UNSAFE', `"${rel}" was not synced: ${dir} is a link or a file, not a folder, and a sync never writes through links.`,
    'Replace the link with a real folder (or move it out of the notebooks folder), then sync again.');
}

function basenameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** A regular file's entry (without hash), or undefined when nothing regular is there. */
export async function fileEntry(path: string): Promise<FileEntry | undefined> {
  try {
    const s = await stat(path, { bigint: true });
    if (!s.isFile()) return undefined;
    return { type: 'file', size: Number(s.size), mtime: `${s.mtimeNs}:${s.ino}`, mode: Number(s.mode & 0o777n) };
  } catch (error) {
    if (systemCode(error) === 'ENOENT' || systemCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
