import { randomBytes } from 'node:crypto';
import { copyFile, link, lstat, mkdir, readdir, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TrashEntry, TrashEntryRef } from '../../../shared/contract/hosts';
import { BenchtopError, systemCode } from '../errors';
import { unsafeReason } from './safe-path';

/** How long a removed or overwritten version is kept. */
export const TRASH_KEEP_MS = 30 * 24 * 3600 * 1000;

/** Where removed versions go, relative to the project folder (locally) or the volume's root (on a target). */
export const TRASH_REL = '.benchtop/trash';

/**
 * Trash layout, the same on both sides: `<trash>/<batch>/<kind>/<path>`, where the batch is
 * `<epoch ms>-<random>` (one per sync, so its age is in its name) and kind says whether the version
 * was deleted or overwritten by that sync.
 */
export type TrashKind = TrashEntry['kind'];
const KINDS: readonly TrashKind[] = ['deleted', 'replaced'];
const BATCH = /^(\d{10,16})-[0-9a-f]{4,16}$/;

export function newBatch(now: number): string {
  return `${now}-${randomBytes(4).toString('hex')}`;
}

export function batchTime(batch: string): number | undefined {
  const match = BATCH.exec(batch);
  return match ? Number(match[1]) : undefined;
}

/** Refuses an entry reference that could point outside the trash (it comes from the UI or the command line). */
export function checkEntryRef(entry: TrashEntryRef): void {
  const reason = batchTime(entry.batch) === undefined ? 'has no valid batch' : !KINDS.includes(entry.kind) ? 'has an unknown kind' : unsafeReason(entry.path);
  if (reason) throw new BenchtopError('SYNC_PATH_UNSAFE', `The removed version "${entry.path}" ${reason}.`, 'Pick an entry from `benchtop sync restore --list`.');
}

/**
 * The trash on this computer: `<project>/.benchtop/trash`, outside the notebooks folder (and the
 * sync skips `.benchtop` even when the notebooks folder is the project itself).
 */
export class LocalTrash {
  constructor(readonly dir: string) {}

  static of(projectDir: string): LocalTrash {
    return new LocalTrash(join(projectDir, ...TRASH_REL.split('/')));
  }

  pathOf(batch: string, kind: TrashKind, rel: string): string {
    return join(this.dir, batch, kind, ...rel.split('/'));
  }

  /**
   * Keeps the file at `source` (still in place) as `rel`'s version in `batch`: a hard link, so the
   * caller's rename over the file or unlink afterwards leaves this copy whole; a copy where links
   * cannot be made. Done before the file is touched, so a crash leaves at worst a spare copy here.
   */
  async keep(source: string, batch: string, kind: TrashKind, rel: string): Promise<void> {
    const target = this.pathOf(batch, kind, rel);
    await mkdir(dirname(target), { recursive: true });
    try {
      await link(source, target);
    } catch (error) {
      const code = systemCode(error);
      if (code === 'EEXIST') return; // already kept by an earlier attempt of the same sync
      if (code === 'ENOENT') return; // nothing there any more: nothing to keep
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
      await copyFile(source, target);
    }
  }

  async list(): Promise<TrashEntry[]> {
    const entries: TrashEntry[] = [];
    for (const batch of await readdirOrEmpty(this.dir)) {
      const at = batchTime(batch);
      if (at === undefined) continue;
      for (const kind of KINDS) {
        const root = join(this.dir, batch, kind);
        const walk = async (dir: string, prefix: string): Promise<void> => {
          for (const name of await readdirOrEmpty(dir)) {
            const full = join(dir, name);
            const s = await lstat(full);
            if (s.isDirectory()) await walk(full, `${prefix}${name}/`);
            else if (s.isFile()) entries.push({ where: 'local', batch, path: prefix + name, kind, removedAt: new Date(at).toISOString(), size: s.size });
          }
        };
        await walk(root, '');
      }
    }
    return entries;
  }

  /** Removes batches older than `keepMs` (by the time in their name, not the files' times). */
  async expire(now: number, keepMs = TRASH_KEEP_MS): Promise<number> {
    let removed = 0;
    for (const batch of await readdirOrEmpty(this.dir)) {
      const at = batchTime(batch);
      if (at !== undefined && now - at > keepMs) {
        await rm(join(this.dir, batch), { recursive: true, force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** Forgets one entry (after it was restored), and its batch once empty. */
  async drop(entry: TrashEntryRef): Promise<void> {
    await unlink(this.pathOf(entry.batch, entry.kind, entry.path)).catch((error: unknown) => {
      if (systemCode(error) !== 'ENOENT') throw error;
    });
    // Empty folders up to the batch go; a folder with other entries stays (rmdir refuses).
    let dir = dirname(this.pathOf(entry.batch, entry.kind, entry.path));
    const stop = join(this.dir);
    while (dir.startsWith(stop) && dir !== stop) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty (or already gone): the folders above stay too
      }
      dir = dirname(dir);
    }
  }
}

export function sortNewestFirst(entries: TrashEntry[]): TrashEntry[] {
  return entries.sort((a, b) => b.removedAt.localeCompare(a.removedAt) || a.path.localeCompare(b.path));
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (systemCode(error) === 'ENOENT' || systemCode(error) === 'ENOTDIR') return [];
    throw error;
  }
}
