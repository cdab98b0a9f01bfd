import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { systemCode } from '../errors';
import type { Base, BaseEntry } from './tree';

interface BaseFile {
  version: 1;
  projectDir: string;
  target: string;
  volume: string;
  /** The volume's id label: a volume removed and made again is a new, empty one, not "everything deleted". */
  volumeId?: string;
  syncedAt: string;
  entries: Record<string, BaseEntry>;
}

/**
 * The BASE manifest per (project, target): what both sides held after the last completed sync. It
 * lives on this computer only and is replaced atomically, and only once both sides are done, so an
 * interrupted sync leaves the previous base and the next one simply works out the changes again.
 */
export class BaseStore {
  constructor(readonly dir: string) {}

  fileOf(projectDir: string, target: string): string {
    const key = createHash('sha256').update(`${projectDir}\0${target}`).digest('hex').slice(0, 20);
    return join(this.dir, `${key}.json`);
  }

  /**
   * The base for this volume. A base recorded for another incarnation of the volume (removed and
   * created again on the host) is ignored: everything is then new on one side, never deleted.
   */
  async read(projectDir: string, target: string, volumeId: string): Promise<Base> {
    try {
      const parsed = JSON.parse(await readFile(this.fileOf(projectDir, target), 'utf8')) as Partial<BaseFile>;
      if (parsed.version !== 1 || parsed.projectDir !== projectDir || parsed.target !== target || typeof parsed.entries !== 'object') return new Map();
      if (!volumeId || parsed.volumeId !== volumeId) return new Map();
      return new Map(Object.entries(parsed.entries ?? {}));
    } catch (error) {
      // No base (first sync) or an unreadable one: treating everything as new is always safe,
      // because files that differ are kept on both sides as conflict copies rather than dropped.
      if (systemCode(error) === 'ENOENT' || error instanceof SyntaxError) return new Map();
      throw error;
    }
  }

  async write(projectDir: string, target: string, volume: { name: string; id: string }, base: Base, now: Date): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.fileOf(projectDir, target);
    const body: BaseFile = { version: 1, projectDir, target, volume: volume.name, volumeId: volume.id, syncedAt: now.toISOString(), entries: Object.fromEntries([...base].sort(([a], [b]) => (a < b ? -1 : 1))) };
    const temp = `${file}.${process.pid}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(body));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  }
}
