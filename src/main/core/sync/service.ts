import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import type { SyncProgress, SyncResult } from '../../../shared/contract/hosts';
import type { Clock } from '../clock';
import type { EngineService } from '../engine/service';
import { BenchtopError, isAbortError } from '../errors';
import type { EventBus } from '../events';
import type { Operations } from '../operations';
import type { ProjectService } from '../project/service';
import { BaseStore } from './base-store';
import { LocalTree, type HashCache } from './local-tree';
import { RemoteTree } from './remote-tree';
import { runSync } from './run-sync';
import { sameStamp } from './tree';
import { ensureNotebooksVolume, notebooksVolumeName, startSyncHelper, volumeId } from './volume';
import { imageToRun } from '../project/image-to-run';

export interface SyncServiceDeps {
  engines: EngineService;
  projects: ProjectService;
  bus: EventBus;
  ops: Operations;
  clock: Clock;
  /** Where base manifests live: the app's settings folder + `sync/`. */
  dataDir: string;
}

export interface SyncRequest {
  /** Progress events carry it; cancel with `operationCancel`. */
  opId: string;
  projectDir: string;
  /** `local` or a host id: whose engine holds the volume. */
  target: string;
  /** A running container that mounts the volume at /home/analyst/work (the session); else a helper runs. */
  containerId?: string;
  /** The session this sync belongs to, for progress events. */
  sessionId?: string;
  /** Image for the helper container; defaults to the project's pinned image. */
  image?: string;
  /** A caller's own signal (a move, the watcher): aborting it cancels this sync too. */
  signal?: AbortSignal;
}

export interface SyncAnswer extends SyncResult {
  volume: string;
}

/**
 * Two-way sync between a project's notebooks folder (plus its lockfile) and the project's notebooks
 * volume on a target. One sync at a time per (project, target): a second request waits for the
 * running one, so the watcher, the CLI and a move never interleave on the same files.
 */
export class SyncService {
  readonly #deps: SyncServiceDeps;
  readonly #bases: BaseStore;
  readonly #running = new Map<string, Promise<unknown>>();
  readonly #caches = new Map<string, { local: HashCache; remote: HashCache }>();

  constructor(deps: SyncServiceDeps) {
    this.#deps = deps;
    this.#bases = new BaseStore(join(deps.dataDir, 'sync'));
  }

  /** Resolves once every sync under way has ended (cancel them first to make it quick). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  /** True while a sync of this project with this target is under way (the watcher skips a tick then). */
  busy(projectDir: string, target: string): boolean {
    return this.#running.has(`${resolve(projectDir)}\0${target}`);
  }

  async sync(request: SyncRequest): Promise<SyncAnswer> {
    // Registered before anything is awaited, so `idle()` and `busy()` see it from the first moment.
    const key = `${resolve(request.projectDir)}\0${request.target}`;
    const previous = this.#running.get(key);
    const current = (async () => {
      await previous?.catch(() => undefined);
      const project = await this.#deps.projects.read(request.projectDir);
      return this.#deps.ops.run(request.opId, (signal) => {
        const cancel = () => this.#deps.ops.cancel(request.opId);
        if (request.signal?.aborted) cancel();
        request.signal?.addEventListener('abort', cancel, { once: true });
        return this.#syncNow({ ...request, projectDir: project.dir }, project, signal)
          .finally(() => request.signal?.removeEventListener('abort', cancel));
      });
    })();
    this.#running.set(key, current);
    try {
      return await current;
    } finally {
      if (this.#running.get(key) === current) this.#running.delete(key);
    }
  }

  async #syncNow(request: SyncRequest, project: Awaited<ReturnType<ProjectService['read']>>, signal: AbortSignal): Promise<SyncAnswer> {
    const { engines, bus, clock } = this.#deps;
    const { target } = request;
    const started = clock.now();
    const volume = await engines.call(target, 'create the notebooks volume', (docker) => ensureNotebooksVolume(docker, project.dir, project.name));
    const image = request.image ?? imageToRun(project);
    let helper: Docker.Container | undefined;
    try {
      const container = request.containerId
        ? (await engines.docker(target)).getContainer(request.containerId)
        : (helper = await engines.call(target, 'start a sync helper', (docker) => startSyncHelper(docker, image, volume.name, project.dir), 60_000));
      const caches = this.#cachesFor(`${project.dir}\0${target}`);
      const base = await this.#bases.read(project.dir, target, volume.id);
      const progress = (update: Omit<SyncProgress, 'opId' | 'sessionId'>) =>
        bus.emit('syncProgress', { opId: request.opId, sessionId: request.sessionId ?? '', ...update });
      const outcome = await runSync({
        local: new LocalTree(project.notebooksDir, project.lockfilePath),
        remote: new RemoteTree(container),
        base, caches, targetName: target, now: () => new Date(clock.now()), progress, signal,
      });
      if (outcome.nextBase) await this.#bases.write(project.dir, target, volume, outcome.nextBase, new Date(clock.now()));
      const { nextBase: _next, ...counts } = outcome;
      return { ...counts, durationMs: clock.now() - started, volume: volume.name };
    } catch (error) {
      throw syncError(error, target, signal);
    } finally {
      if (helper) await helper.remove({ force: true }).catch(() => undefined);
    }
  }

  /**
   * True when nothing in the local folder changed since the last completed sync with this target and
   * the volume is still the one that sync filled: then the volume already holds the local state and
   * a session can start on it without syncing first (its watcher carries anything newer either way).
   */
  async localUnchanged(projectDir: string, target: string): Promise<boolean> {
    const project = await this.#deps.projects.read(projectDir);
    const id = await this.#deps.engines.call(target, 'inspect the notebooks volume', (docker) => volumeId(docker, notebooksVolumeName(project.dir, project.name)));
    if (!id) return false;
    const base = await this.#bases.read(project.dir, target, id);
    if (base.size === 0) return false;
    const tree = await new LocalTree(project.notebooksDir, project.lockfilePath).scan();
    if (tree.size !== base.size) return false;
    for (const [rel, entry] of tree) {
      const b = base.get(rel);
      if (!b || b.type !== entry.type || (entry.type === 'file' && !sameStamp(entry, b.size, b.localMtime))) return false;
    }
    return true;
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
