import { dirname, join } from 'node:path';
import type { ProjectInfo } from '../../../shared/contract/project';
import type { SessionInfo } from '../../../shared/contract/sessions';
import type { Desktop } from '../desktop';
import type { EngineService } from '../engine/service';
import { BenchtopError } from '../errors';
import type { Owner } from '../identity/owner';
import type { Logger } from '../log/logger';
import type { Operation } from '../operation';
import type { PullResult, PullService } from '../pull/service';
import type { SettingsStore } from '../settings/store';
import type { GpuLeaser, LockfileCheck, WorkspaceResolver } from './adapters';
import type { SessionDirectory } from './directory';
import { assertPrivateJupyter } from './jupyter-args';
import { fromLabels } from './labels';
import { launchSession } from './launch';
import { sessionIdFor } from './naming';
import { removeOpenPage, writeOpenPage } from './open-page';
import type { SessionReadiness } from './readiness';
import type { SessionNote } from './state';
import type { SessionTracker } from './tracker';

export interface SessionLifecycleDeps {
  engines: EngineService;
  settings: SettingsStore;
  desktop: Desktop;
  owner: Owner;
  projects: { open(dir: string): Promise<ProjectInfo> };
  pulls: PullService;
  lockfile: LockfileCheck;
  gpus: GpuLeaser;
  workspace: WorkspaceResolver;
  known: SessionTracker;
  directory: SessionDirectory;
  readiness: SessionReadiness;
  /** Follow the target's engine events (the monitor). */
  watch(target: string): Promise<void>;
  log: Logger;
}

const STOP_GRACE_S = 10;

/** The lifecycle of a session: up (pull, create, start, wait), stop, restart, remove, open. */
export class SessionLifecycle {
  readonly #d: SessionLifecycleDeps;

  constructor(deps: SessionLifecycleDeps) {
    this.#d = deps;
  }

  /** Pull if needed, create and start the container, wait for Jupyter. Reuses a session already running. */
  async up(op: Operation, dir: string, target: string, open?: 'app' | 'browser'): Promise<SessionInfo> {
    const { engines, known, directory, readiness, log } = this.#d;
    const { signal } = op;
    op.step('check', dir);
    const project = await this.#d.projects.open(dir);
    if (!project.pinned) {
      throw new BenchtopError('IMAGE_NOT_PINNED', `${project.devcontainerPath} names the image "${project.image}" without a digest.`,
        'Pin a version first (`benchtop pin`), so everyone on the team runs the same image.');
    }
    assertPrivateJupyter(project);
    const imageRef = `${project.pinned.repository}@${project.pinned.digest}`;
    const id = sessionIdFor(project.name, project.dir, target, this.#d.owner.id);
    await this.#d.watch(target).catch((e: unknown) => log.ignored(`watch ${target}'s engine events`, e));

    const existing = await directory.inspect(target, id);
    if (existing) {
      const labels = fromLabels(existing.Config.Labels);
      if (existing.State.Running && labels?.digest === project.pinned.digest) {
        op.step('wait-jupyter', 'already running');
        const info = await readiness.waitReady(target, existing, signal);
        return this.#finishUp(op, info, open);
      }
      if (existing.State.Running) {
        throw new BenchtopError('SESSION_EXISTS',
          `A session for ${project.dir} already runs on ${target} with image ${labels?.digest ?? 'unknown'}, not the pinned ${project.pinned.digest}.`,
          `Stop it first (\`benchtop stop ${id}\`); notebooks stay in the project folder.`);
      }
      // A stopped session is recreated: fresh token, a port free now, the current pin and settings.
      await engines.call(target, 'remove old session', (d) => d.getContainer(id).remove({ force: true }));
      known.forget(id); // its removal is part of this start, not news for the UI
    }

    known.emitProvisional(project, target, id, 'pulling');
    op.step('pull', imageRef);
    const pulled: PullResult = await this.#d.pulls.pull(target, imageRef, op);
    await this.#d.lockfile(project, pulled.labels);

    op.step('start');
    await launchSession({ engines, settings: this.#d.settings, gpus: this.#d.gpus, workspace: this.#d.workspace, owner: this.#d.owner, log, op,
      // postCreateCommand / postStartCommand output, line by line, as a detail of the start step.
      onOutput: (line) => op.step('start', line),
      // Every card taken: the start waits in the host's queue (cancelling the start leaves it; its
      // positions are the start's `gpu-queue` steps).
      gpuWait: op },
      { target, id, imageRef, project, pulled });
    try {
      const started = await directory.inspectOrThrow(target, id);
      known.emit(started, target);
      op.step('wait-jupyter');
      const info = await readiness.waitReady(target, started, signal);
      return await this.#finishUp(op, info, open);
    } catch (error) {
      if (signal.aborted) {
        // The user called the start off: leave nothing half-started behind (notebooks are on the host).
        await engines.call(target, 'remove cancelled session', (d) => d.getContainer(id).remove({ force: true })).catch((e: unknown) => log.ignored(`remove the cancelled session ${id}`, e));
        await this.#d.gpus.release(id, target).catch((e: unknown) => log.ignored(`free the GPUs of ${id}`, e));
        known.forget(id);
      }
      throw error;
    }
  }

  async stop(id: string, why: SessionNote = { state: 'stopped', message: 'Stopped.' }): Promise<SessionInfo> {
    const { engines, known, directory, log } = this.#d;
    const { target, inspect } = await directory.findMine(id, 'stop');
    known.live.delete(id);
    known.notes.set(id, { state: 'stopping' });
    known.emit(inspect, target);
    try {
      await engines.call(target, 'stop', (d) => d.getContainer(id).stop({ t: STOP_GRACE_S }), (STOP_GRACE_S + 10) * 1000)
        .catch((error: unknown) => {
          if ((error as BenchtopError).cause && (error as { cause: { statusCode?: number } }).cause.statusCode === 304) return; // already stopped
          throw error;
        });
    } finally {
      known.notes.set(id, why);
    }
    await this.#d.gpus.release(id, target).catch((e: unknown) => log.ignored(`free the GPUs of ${id}`, e));
    const after = await directory.inspectOrThrow(target, id);
    return known.emit(after, target);
  }

  async restart(op: Operation, id: string): Promise<SessionInfo> {
    const { target, inspect } = await this.#d.directory.findMine(id, 'restart');
    const labels = fromLabels(inspect.Config.Labels);
    if (labels?.projectDir) {
      // Through `up`, so the pin, the lockfile and the GPUs are checked again (a restart after a re-pin gets the new image).
      if (inspect.State.Running) await this.stop(id, { state: 'stopped', message: 'Restarting.' });
      return this.up(op, labels.projectDir, target);
    }
    throw new BenchtopError('SESSION_FAILED', `Session ${id} has no project label and cannot be restarted.`, 'Remove it and start the project again.');
  }

  async remove(id: string): Promise<{ removed: true }> {
    const { engines, known, directory, log } = this.#d;
    const { target, inspect } = await directory.findMine(id, 'remove');
    // A graceful stop first, so kernels shut down cleanly instead of being killed with the container.
    if (inspect.State.Running) await this.stop(id, { state: 'stopping' });
    // Notebooks are a bind mount of the project folder: removing the container removes none of them.
    await engines.call(target, 'remove', (d) => d.getContainer(id).remove({ force: true, v: false }), 30_000);
    await this.#d.gpus.release(id, target).catch((e: unknown) => log.ignored(`free the GPUs of ${id}`, e));
    await removeOpenPage(this.#pagesDir(), id);
    known.forget(id);
    return { removed: true };
  }

  async open(info: SessionInfo, where: 'app' | 'browser'): Promise<{ url: string }> {
    if (info.state !== 'ready' || !info.url) {
      throw new BenchtopError('SESSION_FAILED', `Session ${info.id} is ${info.state}, so there is no notebook to open.${info.message ? ` ${info.message}` : ''}`,
        `Start it again (\`benchtop up ${info.projectDir}\`).`);
    }
    if (where === 'app') await this.#d.desktop.openNotebook(info.id, info.url);
    // Through a private page, never the URL itself: the browser's command line is public, the token is not.
    else await this.#d.desktop.openLocalPage(await writeOpenPage(this.#pagesDir(), info.id, info.url));
    return { url: info.url };
  }

  /** Where the private pages that open sessions in the browser are written (next to the settings). */
  #pagesDir(): string {
    return join(dirname(this.#d.settings.path), 'open');
  }

  async #finishUp(op: Operation, info: SessionInfo, open?: 'app' | 'browser'): Promise<SessionInfo> {
    if (open) {
      op.step('open', open);
      // Read again, as `open` by id does: the session as it is now.
      const { target, inspect } = await this.#d.directory.findMine(info.id, 'open');
      await this.open(await this.#d.directory.describe(target, inspect), open);
    }
    return info;
  }
}
