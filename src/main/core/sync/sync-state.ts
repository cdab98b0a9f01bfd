import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemCode } from '../errors';
import { writeFileAtomic } from './atomic-file';
import type { Base, BaseEntry } from './tree';

/**
 * Which volume a project syncs with on a target. Recorded once, when the volume is first made or
 * adopted, and never re-derived from the project's name, its folder or this computer's name: a
 * renamed project keeps its volume, and a volume that is gone or replaced is noticed instead of
 * read as "everything was deleted".
 */
export interface VolumeIdentity {
  name: string;
  /** The volume's `dev.benchtop.volume-id` label, or `unlabelled` for one made elsewhere. */
  id: string;
}

/**
 * One file per (project folder, target) under the app's data folder (`<settings dir>/sync/`): the
 * recorded volume identity and the BASE manifest (what both sides held after the last completed
 * sync). Kept on this computer, not in the project, because the identity is this install's: a
 * teammate who clones the project must get a volume of their own.
 */
interface StateFile {
  version: 2;
  projectDir: string;
  target: string;
  volume: VolumeIdentity;
  syncedAt?: string;
  entries: Record<string, BaseEntry>;
}

/** What the first release wrote: the same, with the identity as two loose fields. */
interface StateFileV1 {
  version: 1;
  projectDir: string;
  target: string;
  volume: string;
  volumeId?: string;
  entries: Record<string, BaseEntry>;
}

export interface SyncState {
  volume?: VolumeIdentity;
  base: Base;
}

export class SyncStateStore {
  constructor(readonly dir: string) {}

  keyOf(projectDir: string, target: string): string {
    return createHash('sha256').update(`${projectDir}\0${target}`).digest('hex').slice(0, 20);
  }

  fileOf(projectDir: string, target: string): string {
    return join(this.dir, `${this.keyOf(projectDir, target)}.json`);
  }

  async read(projectDir: string, target: string): Promise<SyncState> {
    let parsed: Partial<StateFile> | Partial<StateFileV1>;
    try {
      parsed = JSON.parse(await readFile(this.fileOf(projectDir, target), 'utf8')) as Partial<StateFile> | Partial<StateFileV1>;
    } catch (error) {
      // No state: never synced with this target. An unreadable one (it is written atomically, so
      // only a hand edit gets here) is as good as none: with no base, every difference is kept
      // on both sides as a conflict copy rather than deleted.
      if (systemCode(error) === 'ENOENT' || error instanceof SyntaxError) return { base: new Map() };
      throw error;
    }
    if (parsed.projectDir !== projectDir || parsed.target !== target || typeof parsed.entries !== 'object' || !parsed.entries) return { base: new Map() };
    const base: Base = new Map(Object.entries(parsed.entries));
    if (parsed.version === 2 && parsed.volume?.name && parsed.volume.id) return { volume: parsed.volume, base };
    if (parsed.version === 1 && typeof parsed.volume === 'string' && parsed.volumeId) {
      // Volumes made before identities were recorded: the name and id the base was synced with.
      return { volume: { name: parsed.volume, id: parsed.volumeId }, base };
    }
    return { base: new Map() };
  }

  /** Records the volume identity and the base in one atomic replace. */
  async write(projectDir: string, target: string, volume: VolumeIdentity, base: Base, syncedAt?: Date): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const body: StateFile = {
      version: 2, projectDir, target, volume, syncedAt: syncedAt?.toISOString(),
      entries: Object.fromEntries([...base].sort(([a], [b]) => (a < b ? -1 : 1))),
    };
    await writeFileAtomic(this.fileOf(projectDir, target), JSON.stringify(body));
  }
}
