import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import type { SyncProgress, SyncResult, TrashEntry, TrashEntryRef } from '../../../shared/contract/hosts';
import type { Clock } from '../clock';
import type { EngineService } from '../engine/service';
import { BenchtopError, isAbortError } from '../errors';
import type { Owner } from '../identity/owner';
import type { Operation } from '../operation';
import type { ProjectService } from '../project/service';
import { imageToRun } from '../project/image-to-run';
import { isCaseInsensitive } from './case-probe';
import { fileEntry, LocalTree, sha256File, type HashCache } from './local-tree';
import { RemoteTree } from './remote-tree';
import { runSync } from './run-sync';
import { acquireSyncLock, type HeldLock } from './sync-lock';
import { SyncStateStore, type SyncState, type VolumeIdentity } from './sync-state';
import { checkEntryRef, LocalTrash, newBatch, sortNewestFirst } from './trash';
import { sameStamp } from './tree';
import { inspectVolume, mountedVolume, startSyncHelper } from './volume';
import { resolveVolume } from './volume-identity';
import { openFolder, type FolderPlace } from './folder-place';
import { silentLogger, type Logger } from '../log/logger';

export interface SyncServiceDeps {
  engines: EngineService;
  projects: ProjectService;
  clock: Clock;
  /** This install: owns the volumes it makes; its id, not the computer's name, is the identity. */
  owner: Owner;
  /** Where sync states (volume identity + base manifest) and locks live: the app's settings folder + `sync/`. */
  dataDir: string;
  /** Where a failed best-effort step (removing a sync helper container) is logged. */
  log?: Logger;
  /** Targets whose notebooks are a folder on an SSH machine (Slurm clusters), not a volume: undefined for the others. */
  folders?: (target: string) => FolderPlace | undefined;
}

/** What to sync; the Operation it runs under (its progress events, its cancel signal) is passed beside it. */
export interface SyncRequest {
  projectDir: string;
  /** `local` or a host id: whose engine holds the volume. */
  target: string;
  /** A running container that mounts the volume at /home/analyst/work (the session); else a helper runs. */
  containerId?: string;
  /** The session this sync belongs to, for progress events. */
  sessionId?: string;
  /** Image for the helper container; defaults to the project's pinned image. */
  image?: string;
  /** The user agreed to bulk deletions (`--yes`, the app's confirmation). */
  confirmDeletes?: boolean;
  /** Adopt this volume (`new` for a fresh one) as the one this project syncs with on the target. */
  adoptVolume?: string;
  /** How long to wait for another process's sync of the same project and target before SYNC_BUSY. */
  waitMs?: number;
}

export interface SyncAnswer extends SyncResult {
  volume: string;
}

/** Where a trash operation reaches the volume: a running session's container, else a helper of `image`. */
export interface VolumeAccess {
  containerId?: string;
  image?: string;
}

/**
 * Two-way sync between a project's notebooks folder (plus its lockfile) and the project's notebooks
 * volume on a target. One sync at a time per (project, target): within this process a second
 * request waits for the running one; across processes (the app and `benchtop sync`) a lock file
 * does the same, so nothing ever interleaves on the same files.
 */
export class SyncService {
  readonly #deps: SyncServiceDeps;
  readonly #states: SyncStateStore;
  readonly #running = new Map<string, Promise<unknown>>();
  readonly #caches = new Map<string, { local: HashCache; remote: HashCache }>();
  readonly #caseInsensitive = new Map<string, Promise<boolean>>();
  /**
   * Session containers whose mount was checked against the recorded volume, by target and the
   * container name or id the caller gave. A container's mounts never change, and the engine refuses
   * to remove a volume that any container uses, so while that container exists it mounts the very
   * volume that was checked: later syncs through it skip both inspects and reach it by its full id.
   * An exec into a container that is gone fails, and the sync then checks everything again.
   */
  readonly #verified = new Map<string, VerifiedMount>();

  constructor(deps: SyncServiceDeps) {
    this.#deps = deps;
    this.#states = new SyncStateStore(join(deps.dataDir, 'sync'));
  }

  /** Resolves once every sync under way has ended (cancel them first to make it quick). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  /** How many syncs run in this process now (an app restart waits for them: core/updates). */
  get active(): number {
    return this.#running.size;
  }

  /** True while a sync of this project with this target is under way in this process (the watcher skips a tick then). */
  busy(projectDir: string, target: string): boolean {
    return this.#running.has(`${resolve(projectDir)}\0${target}`);
  }

  lockFileOf(projectDir: string, target: string): string {
    return join(this.#states.dir, `${this.#states.keyOf(resolve(projectDir), target)}.lock`);
  }

  /**
   * Syncs under `op`, which the caller made where the call entered the core (the API handler, the
   * CLI) or is a child of the caller's own operation (a start, a move) or a watcher's: its progress
   * events are `op`'s `syncProgress`, its signal cancels the sync.
   */
  async sync(op: Operation, request: SyncRequest): Promise<SyncAnswer> {
    // Registered before anything is awaited, so `idle()` and `busy()` see it from the first moment.
    const key = `${resolve(request.projectDir)}\0${request.target}`;
    const previous = this.#running.get(key);
    const current = (async () => {
      if (previous) {
        op.step('wait-for-sync', `another sync of this project with ${request.target}`);
        await previous.catch(() => undefined); // its caller got its error; this request only waits for it
      }
      const project = await this.#deps.projects.read(request.projectDir);
      const { signal } = op;
      const lock = await this.#lock(project.dir, request.target, `sync ${op.id}`, request.waitMs ?? 10_000, signal);
      try {
        return await this.#syncNow(op, { ...request, projectDir: project.dir }, project, signal);
      } finally {
        await lock.release();
      }
    })();
    this.#running.set(key, current);
    try {
      return await current;
    } finally {
      if (this.#running.get(key) === current) this.#running.delete(key);
    }
  }

  #lock(projectDir: string, target: string, what: string, waitMs: number, signal?: AbortSignal): Promise<HeldLock> {
    return acquireSyncLock(this.lockFileOf(projectDir, target), what, { waitMs, signal });
  }

  async #syncNow(op: Operation, request: SyncRequest, project: Awaited<ReturnType<ProjectService['read']>>, signal: AbortSignal): Promise<SyncAnswer> {
    const { target } = request;
    const started = this.#deps.clock.now();
    const state = await this.#states.read(project.dir, target);
    const key = request.containerId ? `${target}\0${request.containerId}` : undefined;
    const known = key && !request.adoptVolume ? this.#verified.get(key) : undefined;
    const trusted = known && known.volume.name === state.volume?.name && known.volume.id === state.volume.id ? known : undefined;
    const moved = { anything: false };
    try {
      return await this.#syncThrough(op, request, project, state, trusted, moved, started, signal);
    } catch (error) {
      if (key) this.#verified.delete(key);
      // The checked container is gone (or stopped) before anything moved: check everything again,
      // which finds the session's container by the name asked for, or says what is wrong.
      if (trusted && !moved.anything && !signal.aborted && isGoneOrStopped(error)) {
        try {
          return await this.#syncThrough(op, request, project, state, undefined, moved, started, signal);
        } catch (again) {
          throw syncError(again, target, signal);
        }
      }
      throw syncError(error, target, signal);
    }
  }

  async #syncThrough(op: Operation, request: SyncRequest, project: Awaited<ReturnType<ProjectService['read']>>, state: SyncState, trusted: VerifiedMount | undefined,
    moved: { anything: boolean }, started: number, signal: AbortSignal): Promise<SyncAnswer> {
    const { engines, clock } = this.#deps;
    const { target } = request;
    const image = request.image ?? imageToRun(project);
    let helper: Docker.Container | undefined;
    try {
      let session: Docker.Container | undefined;
      let volume: VolumeIdentity;
      let changed = false;
      let folderTree: RemoteTree | undefined;
      const place = this.#deps.folders?.(target);
      if (place) {
        // A folder on an SSH machine (a cluster): its marker, not a volume, is the identity.
        ({ volume, changed, tree: folderTree } = await openFolder(place, { project, target, recorded: state.volume, adopt: request.adoptVolume }, signal));
      } else if (trusted && state.volume) {
        // Checked by an earlier sync through this very container (see #verified): no inspects.
        session = (await engines.docker(target)).getContainer(trusted.containerId);
        volume = state.volume;
      } else {
        session = request.containerId ? (await engines.docker(target)).getContainer(request.containerId) : undefined;
        // Given by its full id, the container is reached by that same id below once its mount is
        // checked: its helper process can start meanwhile (it does nothing until the scan asks).
        if (session && FULL_ID.test(session.id)) new RemoteTree(session).prestart();
        const mounted = session ? await engines.call(target, 'inspect the session container', () => mountedVolume(session as Docker.Container)) : undefined;
        ({ volume, changed } = await engines.call(target, 'find the notebooks volume', (docker) => resolveVolume(docker, {
          project, target, owner: this.#deps.owner, recorded: state.volume, mounted: mounted?.volume, adopt: request.adoptVolume,
        })));
        if (request.containerId && mounted?.volume === volume.name) {
          this.#verified.set(`${target}\0${request.containerId}`, { containerId: mounted.containerId, volume });
          session = (await engines.docker(target)).getContainer(mounted.containerId);
        }
      }
      // A new identity is recorded before anything moves, with no base: everything on either side
      // is then "new", so differences become conflict copies and nothing is deleted.
      const base = changed ? new Map() : state.base;
      if (changed) await this.#states.write(project.dir, target, volume, base);
      const container = folderTree ? undefined : session
        ?? (helper = await engines.call(target, 'start a sync helper', (docker) => startSyncHelper(docker, image, volume.name, project.dir), 60_000));
      const caches = this.#cachesFor(`${project.dir}\0${target}\0${volume.id}`);
      const progress = (update: Omit<SyncProgress, 'opId' | 'sessionId'>) => {
        if (update.phase !== 'scanning' && update.phase !== 'done') moved.anything = true;
        op.progress('syncProgress', { sessionId: request.sessionId ?? '', ...update });
      };
      const stageId = newBatch(clock.now());
      const trash = LocalTrash.of(project.dir);
      const outcome = await runSync({
        local: new LocalTree(project.notebooksDir, project.lockfilePath, { store: trash, batch: stageId }),
        remote: folderTree ?? new RemoteTree(container as Docker.Container),
        base, caches, targetName: target, now: () => new Date(clock.now()), progress, signal,
        stageId, confirmed: request.confirmDeletes === true,
        localPaths: { caseInsensitive: await this.#localCaseInsensitive(project.notebooksDir) },
      });
      // Versions expire only as syncs keep more (and when the list is read): a sync that changed
      // nothing skips it. The local trash and the state file are apart, so both go at once.
      if (outcome.nextBase) {
        const { nextBase } = outcome;
        await Promise.all([this.#states.write(project.dir, target, volume, nextBase, new Date(clock.now())), trash.expire(clock.now())]);
      }
      const { nextBase: _next, ...counts } = outcome;
      return { ...counts, durationMs: clock.now() - started, volume: volume.name };
    } finally {
      // A helper left behind holds no data and is removed by a later sync once stale.
      // A helper left behind is removed by a later sync once it is stale.
      if (helper) await helper.remove({ force: true }).catch((e: unknown) => (this.#deps.log ?? silentLogger).ignored('remove the sync helper container', e));
    }
  }

  #localCaseInsensitive(dir: string): Promise<boolean> {
    let known = this.#caseInsensitive.get(dir);
    if (!known) this.#caseInsensitive.set(dir, (known = isCaseInsensitive(dir)));
    return known;
  }

  /**
   * The volume this project syncs with on the target, made and recorded when there is none yet;
   * SYNC_VOLUME_CHANGED when the recorded one is gone or was made again.
   */
  async ensureVolume(projectDir: string, target: string): Promise<VolumeIdentity> {
    const project = await this.#deps.projects.read(projectDir);
    const lock = await this.#lock(project.dir, target, 'prepare the notebooks volume', 10_000);
    try {
      const state = await this.#states.read(project.dir, target);
      const { volume, changed } = await this.#deps.engines.call(target, 'find the notebooks volume', (docker) =>
        resolveVolume(docker, { project, target, owner: this.#deps.owner, recorded: state.volume }));
      if (changed) await this.#states.write(project.dir, target, volume, new Map());
      return volume;
    } finally {
      await lock.release();
    }
  }

  /** The volume recorded for this project on this target (what a session there must mount), if any. */
  async recordedVolume(projectDir: string, target: string): Promise<VolumeIdentity | undefined> {
    return (await this.#states.read(resolve(projectDir), target)).volume;
  }

  /**
   * True when nothing in the local folder changed since the last completed sync with this target and
   * the volume is still the one that sync filled: then the volume already holds the local state and
   * a session can start on it without syncing first (its watcher carries anything newer either way).
   */
  async localUnchanged(projectDir: string, target: string): Promise<boolean> {
    const project = await this.#deps.projects.read(projectDir);
    const { volume, base } = await this.#states.read(project.dir, target);
    if (!volume || base.size === 0) return false;
    const now = await this.#deps.engines.call(target, 'inspect the notebooks volume', (docker) => inspectVolume(docker, volume.name));
    if (now?.identity.id !== volume.id) return false;
    const tree = await new LocalTree(project.notebooksDir, project.lockfilePath).scan();
    if (tree.size !== base.size) return false;
    for (const [rel, entry] of tree) {
      const b = base.get(rel);
      if (!b || b.type !== entry.type || (entry.type === 'file' && !sameStamp(entry, b.size, b.localMtime))) return false;
    }
    return true;
  }

  /**
   * The versions syncs removed or overwrote, newest first: those kept on this computer, and, with a
   * target, those kept in its volume (through the session's container, else a short-lived helper).
   */
  async trashList(projectDir: string, target?: string, access: VolumeAccess = {}): Promise<TrashEntry[]> {
    const project = await this.#deps.projects.read(projectDir);
    const trash = LocalTrash.of(project.dir);
    await trash.expire(this.#deps.clock.now());
    const entries = await trash.list();
    if (target) {
      const remote = await this.#withVolume(project, target, access, (tree) => tree.trashList(target));
      if (remote) entries.push(...remote);
    }
    return sortNewestFirst(entries);
  }

  /**
   * Puts a kept version back into the notebooks folder on this computer; the next sync carries it to
   * the target. Whatever is at that path now is kept in the trash first (unless it is the same).
   */
  async trashRestore(projectDir: string, entry: TrashEntryRef, access: VolumeAccess = {}): Promise<{ restored: string }> {
    checkEntryRef(entry);
    const project = await this.#deps.projects.read(projectDir);
    const trash = LocalTrash.of(project.dir);
    const target = entry.where;
    const lock = await this.#lock(project.dir, target, `restore ${entry.path}`, 10_000);
    try {
      const local = new LocalTree(project.notebooksDir, project.lockfilePath, { store: trash, batch: newBatch(this.#deps.clock.now()) });
      const place = async (content: AsyncIterable<Uint8Array>, mode: number, sha: string | undefined) => {
        const current = await fileEntry(local.pathOf(entry.path));
        if (current && sha && (await sha256File(local.pathOf(entry.path))) === sha) {
          for await (const _chunk of content) { /* same content already there */ }
          return;
        }
        await local.writeAtomic(entry.path, content, mode, async () => true);
      };
      if (target === 'local') {
        const file = trash.pathOf(entry.batch, entry.kind, entry.path);
        const kept = await fileEntry(file);
        if (!kept) throw notInTrash(entry);
        await place(createReadStream(file), kept.mode, await sha256File(file));
        await trash.drop(entry);
      } else {
        const found = await this.#withVolume(project, target, access, async (tree) => {
          const got = await tree.trashRead(entry, (header, content) => place(content, header.mode ?? 0o644, undefined));
          if (got) await tree.trashDrop(entry);
          return got;
        });
        if (!found) throw notInTrash(entry);
      }
      return { restored: entry.path };
    } finally {
      await lock.release();
    }
  }

  /** Runs `work` against the recorded volume through the session's container or a helper; undefined when nothing is recorded. */
  async #withVolume<T>(project: Awaited<ReturnType<ProjectService['read']>>, target: string, access: VolumeAccess, work: (tree: RemoteTree) => Promise<T>): Promise<T | undefined> {
    const { engines } = this.#deps;
    const { volume } = await this.#states.read(project.dir, target);
    if (!volume) return undefined;
    const place = this.#deps.folders?.(target);
    if (place) {
      const tree = new RemoteTree(place.host, volume.name);
      await tree.learnOwner();
      return work(tree);
    }
    let helper: Docker.Container | undefined;
    try {
      const container = access.containerId
        ? (await engines.docker(target)).getContainer(access.containerId)
        : (helper = await engines.call(target, 'start a sync helper', (docker) => startSyncHelper(docker, access.image ?? imageToRun(project), volume.name, project.dir), 60_000));
      const tree = new RemoteTree(container);
      await tree.learnOwner();
      return await work(tree);
    } finally {
      if (helper) await helper.remove({ force: true }).catch((e: unknown) => (this.#deps.log ?? silentLogger).ignored('remove the sync helper container (a later sync removes it once stale)', e));
    }
  }

  #cachesFor(key: string): { local: HashCache; remote: HashCache } {
    let caches = this.#caches.get(key);
    if (!caches) {
      caches = { local: new Map(), remote: new Map() };
      this.#caches.set(key, caches);
    }
    return caches;
  }
}

/** A container's full id, as the engine gives it (a name or a short id is looked up again). */
const FULL_ID = /^[0-9a-f]{64}$/;

interface VerifiedMount {
  /** The container's full id (a name can be given to a new container later). */
  containerId: string;
  volume: VolumeIdentity;
}

/** The engine's answer when a container is gone (404) or not running (409). */
function isGoneOrStopped(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 404 || status === 409;
}

function notInTrash(entry: TrashEntryRef): BenchtopError {
  return new BenchtopError('TRASH_NOT_FOUND', `No removed version of "${entry.path}" from ${entry.batch} is kept ${entry.where === 'local' ? 'on this computer' : `on ${entry.where}`} any more.`,
    'It may have expired (versions are kept 30 days) or been restored already. See `benchtop sync restore --list`.');
}

/** Every failure of a sync says the same reassuring thing, because it is true: nothing was lost. */
function syncError(error: unknown, target: string, signal: AbortSignal): Error {
  if (signal.aborted || isAbortError(error)) {
    return new BenchtopError('CANCELLED', `The sync with ${target} was cancelled. Both sides are intact.`, 'Run the sync again to finish it.', { cause: error });
  }
  if (error instanceof BenchtopError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BenchtopError('SYNC_FAILED', `The sync with ${target} stopped: ${message}. Both sides are intact.`,
    'Run the sync again once the connection is back; it continues from what both sides hold.', { cause: error });
}
