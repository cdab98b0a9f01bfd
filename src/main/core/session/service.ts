import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import type { ProjectInfo } from '../../../shared/contract/project';
import type { SessionInfo, SessionSyncError } from '../../../shared/contract/sessions';
import type { Clock } from '../clock';
import type { Desktop } from '../desktop';
import { LOCAL, type EngineService } from '../engine/service';
import { BenchtopError } from '../errors';
import type { EventBus } from '../events';
import type { Owner } from '../identity/owner';
import { waitForJupyter } from '../jupyter/ready';
import { JupyterClient } from '../jupyter/client';
import { PullService, type PullRegistry, type PullResult } from '../pull/service';
import type { SettingsStore } from '../settings/store';
import { directPortAccess, localWorkspace, type GpuLeaser, type LockfileCheck, type PortAccess, type WorkspaceResolver } from './adapters';
import { SessionEventWatcher, type ContainerEvent } from './events';
import { IdleWatcher } from './idle';
import { fromLabels, SESSION_FILTER } from './labels';
import { launchSession } from './launch';
import { lastLogLines, streamLogs } from './logs';
import { assertPrivateJupyter } from './jupyter-args';
import { sessionIdFor } from './naming';
import { removeOpenPage, writeOpenPage } from './open-page';
import { publishedPort } from './ports';
import { JUPYTER_PORT } from './spec';
import { notOwner, ownerOf } from './ownership';
import { nameOf, processOomMessage, tokenOf, type SessionNote } from './state';
import { SessionTracker, type LiveSession } from './tracker';
import { watchStats } from './stats';
import { silentLogger, type Logger } from '../log/logger';

export interface SessionServiceDeps {
  engines: EngineService;
  bus: EventBus;
  settings: SettingsStore;
  clock: Clock;
  desktop: Desktop;
  /** This install: sessions it starts carry it, and only its own sessions can be acted on. */
  owner: Owner;
  projects: { open(dir: string): Promise<ProjectInfo> };
  registry: PullRegistry;
  lockfile: LockfileCheck;
  gpus: GpuLeaser;
  ports?: PortAccess;
  workspace?: WorkspaceResolver;
  /** How long Jupyter may take to answer after the container starts. */
  readyTimeoutMs?: number;
  /** Where best-effort steps that fail (a clean-up, a watcher start) are logged instead of thrown. */
  log?: Logger;
}

const STOP_GRACE_S = 10;
const LOG_LINES_IN_ERRORS = 20;

/**
 * Sessions: one labelled container per project and target, running the pinned image's Jupyter.
 * Everything goes through `engines` with the session's target, so the same code runs sessions on
 * this computer and on SSH hosts. The engine's labels are the only state that outlives the process.
 */
export class SessionService {
  readonly pulls: PullService;
  /** Replaced by the hosts service: how this computer reaches a port on a remote target's loopback. */
  portAccess: PortAccess;
  /** Replaced by the hosts service: where a remote target keeps the project's notebooks. */
  workspace: WorkspaceResolver;
  gpus: GpuLeaser;
  lockfileCheck: LockfileCheck;
  readonly idle: IdleWatcher;
  /** How long Jupyter may take to answer after the container starts (tests shorten it). */
  readyTimeoutMs: number;
  readonly #d: SessionServiceDeps;
  readonly #log: Logger;
  readonly #watchers = new Map<string, SessionEventWatcher>();
  readonly #known: SessionTracker;

  constructor(deps: SessionServiceDeps) {
    this.#log = deps.log ?? silentLogger;
    this.#d = deps;
    this.#known = new SessionTracker(deps.bus, deps.owner);
    this.pulls = new PullService(deps.engines, deps.bus, deps.clock, deps.registry);
    this.portAccess = deps.ports ?? directPortAccess;
    this.workspace = deps.workspace ?? localWorkspace;
    this.gpus = deps.gpus;
    this.lockfileCheck = deps.lockfile;
    this.readyTimeoutMs = deps.readyTimeoutMs ?? 90_000;
    this.idle = new IdleWatcher(deps.clock, {
      candidates: async () => this.#known.idleCandidates(),
      stopIdle: async (id, minutes) => {
        await this.stop(id, { state: 'stopped', message: `Stopped after ${minutes} idle minutes; notebooks are saved in the project.` });
      },
      setIdleStopAt: (id, at) => (at === undefined ? this.#known.idleStopAt.delete(id) : this.#known.idleStopAt.set(id, at)),
    });
  }

  /**
   * Starts following a target's engine events (and the idle rule). Idempotent; `up` and `list` call
   * it, and the app may call it at start-up so sessions found from labels get their idle rule at once.
   */
  async watch(target = LOCAL): Promise<void> {
    let watcher = this.#watchers.get(target);
    if (!watcher) {
      watcher = new SessionEventWatcher(this.#d.engines, target, {
        onEvent: (e) => void this.#onEngineEvent(target, e),
        reconcile: async () => this.#known.reconcile(target, await this.#listTarget(target)),
        onEngineLost: (error) => this.#known.engineLost(target, error instanceof BenchtopError ? error.message : String(error)),
      });
      this.#watchers.set(target, watcher);
      this.idle.start();
    }
    await watcher.start();
  }

  /** The sync watcher says a remote session's notebooks stopped syncing (or sync again): shown on the session. */
  syncStatus(id: string, error: SessionSyncError | undefined): void {
    this.#known.syncStatus(id, error);
  }

  async close(): Promise<void> {
    for (const watcher of this.#watchers.values()) watcher.stop();
    this.#watchers.clear();
    this.idle.stop();
  }

  /** Pull if needed, create and start the container, wait for Jupyter. Reuses a session already running. */
  async up(opId: string, dir: string, target: string, signal: AbortSignal, open?: 'app' | 'browser'): Promise<SessionInfo> {
    const step = (name: string, detail?: string) => this.#d.bus.emit('operationStep', { opId, step: name, detail });
    step('check', dir);
    const project = await this.#d.projects.open(dir);
    if (!project.pinned) {
      throw new BenchtopError('IMAGE_NOT_PINNED', `${project.devcontainerPath} names the image "${project.image}" without a digest.`,
        'Pin a version first (`benchtop pin`), so everyone on the team runs the same image.');
    }
    assertPrivateJupyter(project);
    const imageRef = `${project.pinned.repository}@${project.pinned.digest}`;
    const id = sessionIdFor(project.name, project.dir, target, this.#d.owner.id);
    await this.watch(target).catch((e: unknown) => this.#log.ignored(`watch ${target}'s engine events`, e));

    const existing = await this.#inspect(target, id);
    if (existing) {
      const labels = fromLabels(existing.Config.Labels);
      if (existing.State.Running && labels?.digest === project.pinned.digest) {
        step('wait-jupyter', 'already running');
        const info = await this.#waitReady(target, existing, signal);
        return this.#finishUp(opId, info, open);
      }
      if (existing.State.Running) {
        throw new BenchtopError('SESSION_EXISTS',
          `A session for ${project.dir} already runs on ${target} with image ${labels?.digest ?? 'unknown'}, not the pinned ${project.pinned.digest}.`,
          `Stop it first (\`benchtop stop ${id}\`); notebooks stay in the project folder.`);
      }
      // A stopped session is recreated: fresh token, a port free now, the current pin and settings.
      await this.#d.engines.call(target, 'remove old session', (d) => d.getContainer(id).remove({ force: true }));
      this.#known.forget(id); // its removal is part of this start, not news for the UI
    }

    this.#known.emitProvisional(project, target, id, 'pulling');
    step('pull', imageRef);
    const pulled: PullResult = await this.pulls.pull(target, imageRef, opId, signal);
    await this.lockfileCheck(project, pulled.labels);

    step('start');
    await launchSession({ engines: this.#d.engines, settings: this.#d.settings, gpus: this.gpus, workspace: this.workspace, owner: this.#d.owner, log: this.#log,
      // postCreateCommand / postStartCommand output, line by line, as a detail of the start step.
      onOutput: (line) => step('start', line),
      // Every card taken: the start waits in the host's queue (cancelling the start leaves it).
      gpuWait: { signal, onPosition: (position, of) => step('gpu-queue', `position ${position} of ${of} in the GPU queue of ${target}`) } },
      { target, id, imageRef, project, pulled });
    try {
      const started = await this.#inspectOrThrow(target, id);
      this.#known.emit(started, target);
      step('wait-jupyter');
      const info = await this.#waitReady(target, started, signal);
      return await this.#finishUp(opId, info, open);
    } catch (error) {
      if (signal.aborted) {
        // The user called the start off: leave nothing half-started behind (notebooks are on the host).
        await this.#d.engines.call(target, 'remove cancelled session', (d) => d.getContainer(id).remove({ force: true })).catch((e: unknown) => this.#log.ignored(`remove the cancelled session ${id}`, e));
        await this.gpus.release(id, target).catch((e: unknown) => this.#log.ignored(`free the GPUs of ${id}`, e));
        this.#known.forget(id);
      }
      throw error;
    }
  }

  async list(): Promise<SessionInfo[]> {
    // Targets side by side: a slow or unreachable host costs its own timeout, not the sum of all.
    const perTarget = await Promise.all(this.#targets().map(async (target) => {
      try {
        const found = await this.#listTarget(target);
        // Whoever lists sessions (the app after a restart) wants their states live and the idle rule on.
        await this.watch(target).catch((e: unknown) => this.#log.ignored(`watch ${target}'s engine events`, e));
        return found;
      } catch (error) {
        if (target === LOCAL) throw error;
        // An unreachable host must not hide the sessions on this computer.
        return [];
      }
    }));
    return perTarget.flat();
  }

  /** Anyone's session, read-only for someone else's (no URL, no token). */
  async get(id: string): Promise<SessionInfo> {
    const { target, inspect } = await this.#find(id);
    return this.#describe(target, inspect);
  }

  /** One of this install's own sessions; NOT_OWNER (saying whose it is) for anyone else's. */
  async getMine(id: string, verb: string): Promise<SessionInfo> {
    const { target, inspect } = await this.#findMine(id, verb);
    return this.#describe(target, inspect);
  }

  async stop(id: string, why: SessionNote = { state: 'stopped', message: 'Stopped.' }): Promise<SessionInfo> {
    const { target, inspect } = await this.#findMine(id, 'stop');
    this.#known.live.delete(id);
    this.#known.notes.set(id, { state: 'stopping' });
    this.#known.emit(inspect, target);
    try {
      await this.#d.engines.call(target, 'stop', (d) => d.getContainer(id).stop({ t: STOP_GRACE_S }), (STOP_GRACE_S + 10) * 1000)
        .catch((error: unknown) => {
          if ((error as BenchtopError).cause && (error as { cause: { statusCode?: number } }).cause.statusCode === 304) return; // already stopped
          throw error;
        });
    } finally {
      this.#known.notes.set(id, why);
    }
    await this.gpus.release(id, target).catch((e: unknown) => this.#log.ignored(`free the GPUs of ${id}`, e));
    const after = await this.#inspectOrThrow(target, id);
    return this.#known.emit(after, target);
  }

  async restart(opId: string, id: string, signal: AbortSignal): Promise<SessionInfo> {
    const { target, inspect } = await this.#findMine(id, 'restart');
    const labels = fromLabels(inspect.Config.Labels);
    if (labels?.projectDir) {
      // Through `up`, so the pin, the lockfile and the GPUs are checked again (a restart after a re-pin gets the new image).
      if (inspect.State.Running) await this.stop(id, { state: 'stopped', message: 'Restarting.' });
      return this.up(opId, labels.projectDir, target, signal);
    }
    throw new BenchtopError('SESSION_FAILED', `Session ${id} has no project label and cannot be restarted.`, 'Remove it and start the project again.');
  }

  async remove(id: string): Promise<{ removed: true }> {
    const { target, inspect } = await this.#findMine(id, 'remove');
    // A graceful stop first, so kernels shut down cleanly instead of being killed with the container.
    if (inspect.State.Running) await this.stop(id, { state: 'stopping' });
    // Notebooks are a bind mount of the project folder: removing the container removes none of them.
    await this.#d.engines.call(target, 'remove', (d) => d.getContainer(id).remove({ force: true, v: false }), 30_000);
    await this.gpus.release(id, target).catch((e: unknown) => this.#log.ignored(`free the GPUs of ${id}`, e));
    await removeOpenPage(this.#pagesDir(), id);
    this.#known.forget(id);
    return { removed: true };
  }

  async logs(opId: string, id: string, follow: boolean, tail: number | undefined, signal: AbortSignal): Promise<{ lines: number }> {
    // Logs show what the owner's notebooks print: theirs alone.
    const { target, inspect } = await this.#findMine(id, 'read the logs of');
    const docker = await this.#d.engines.docker(target);
    const lines = await streamLogs(docker.getContainer(id), {
      follow, tail, signal, token: tokenOf(inspect),
      onLines: (batch) => this.#d.bus.emit('sessionLog', { opId, lines: batch }),
    });
    return { lines };
  }

  async watchStats(opId: string, id: string, signal: AbortSignal): Promise<void> {
    const { target } = await this.#findMine(id, 'watch');
    const docker = await this.#d.engines.docker(target);
    await watchStats(docker.getContainer(id), id, signal, (s) => this.#d.bus.emit('sessionStats', { ...s, opId }));
  }

  async open(id: string, where: 'app' | 'browser'): Promise<{ url: string }> {
    const info = await this.getMine(id, 'open');
    if (info.state !== 'ready' || !info.url) {
      throw new BenchtopError('SESSION_FAILED', `Session ${id} is ${info.state}, so there is no notebook to open.${info.message ? ` ${info.message}` : ''}`,
        `Start it again (\`benchtop up ${info.projectDir}\`).`);
    }
    if (where === 'app') await this.#d.desktop.openNotebook(id, info.url);
    // Through a private page, never the URL itself: the browser's command line is public, the token is not.
    else await this.#d.desktop.openLocalPage(await writeOpenPage(this.#pagesDir(), id, info.url));
    return { url: info.url };
  }

  /** Where the private pages that open sessions in the browser are written (next to the settings). */
  #pagesDir(): string {
    return join(dirname(this.#d.settings.path), 'open');
  }

  async #finishUp(opId: string, info: SessionInfo, open?: 'app' | 'browser'): Promise<SessionInfo> {
    if (open) {
      this.#d.bus.emit('operationStep', { opId, step: 'open', detail: open });
      await this.open(info.id, open);
    }
    return info;
  }

  /** Waits until Jupyter answers with the token; marks the session failed (and says why) when it does not. */
  async #waitReady(target: string, inspect: Docker.ContainerInspectInfo, signal: AbortSignal): Promise<SessionInfo> {
    const id = nameOf(inspect);
    const labels = fromLabels(inspect.Config.Labels);
    const token = tokenOf(inspect) ?? '';
    const localPort = await this.portAccess.localPort(target, publishedPort(inspect, JUPYTER_PORT) ?? labels?.port ?? 0);
    const container = (await this.#d.engines.docker(target)).getContainer(id);
    try {
      await waitForJupyter(`http://127.0.0.1:${localPort}/`, token, {
        timeoutMs: this.readyTimeoutMs,
        signal,
        lastLogs: () => lastLogLines(container, LOG_LINES_IN_ERRORS, token),
        stillStarting: async () => {
          let now = await this.#inspect(target, id);
          if (now?.State.Running) return undefined;
          // The engine flags an OOM kill from its own event, which can land just after the exit is
          // visible: a SIGKILL exit (137) without the flag gets one more look before it is judged.
          if (now && !now.State.OOMKilled && now.State.ExitCode === 137) {
            await new Promise((resolve) => setTimeout(resolve, 500));
            now = (await this.#inspect(target, id)) ?? now;
          }
          const logs = await lastLogLines(container, LOG_LINES_IN_ERRORS, token).catch(() => '');
          // Killed by the kernel (flagged by the engine), or failed its own allocation (Python says so).
          if (now?.State.OOMKilled || /MemoryError|Cannot allocate memory|out of memory/i.test(logs)) {
            return new BenchtopError('CONTAINER_OOM', `Session ${id} ran out of memory while Jupyter was starting.`,
              'Raise customizations.benchtop.limits.memory in devcontainer.json (or remove it: hostRequirements are not caps), or free memory on the machine.');
          }
          return new BenchtopError('JUPYTER_NOT_READY',
            `Jupyter's container exited with code ${now?.State.ExitCode ?? '?'} before answering.${logs ? `\nLast log lines:\n${logs}` : ''}`,
            'Check the log above: the project’s jupyter args or the image may be wrong. Your notebooks are untouched.');
        },
      });
    } catch (error) {
      if (error instanceof BenchtopError && error.code !== 'CANCELLED') {
        this.#known.notes.set(id, { state: 'failed', message: error.message, code: error.code });
        // Stopped, not removed: `benchtop logs` still shows what went wrong.
        await container.stop({ t: 2 }).catch((e: unknown) => this.#log.ignored(`stop ${id}, which never answered`, e));
        await this.gpus.release(id, target).catch((e: unknown) => this.#log.ignored(`free the GPUs of ${id}`, e));
        const after = await this.#inspect(target, id);
        if (after) this.#known.emit(after, target);
      }
      throw error;
    }
    this.#known.notes.delete(id);
    this.#known.live.set(id, { target, token, localPort, startedAt: Date.parse(inspect.State.StartedAt) || this.#d.clock.now(), idleMinutes: labels?.idleMinutes ?? 0 });
    return this.#known.emit(await this.#inspectOrThrow(target, id), target);
  }

  #targets(): string[] {
    return [LOCAL, ...this.#d.settings.get('hosts').map((h) => h.id)];
  }

  async #listTarget(target: string): Promise<SessionInfo[]> {
    const items = await this.#d.engines.call(target, 'list sessions', (d) =>
      d.listContainers({ all: true, filters: { label: [SESSION_FILTER] } }));
    const inspected = await Promise.all(items.map((c) => this.#inspect(target, c.Id)));
    const infos = await Promise.all(inspected.filter((i): i is Docker.ContainerInspectInfo => !!i).map((i) => this.#describe(target, i)));
    return infos.filter((i): i is SessionInfo => !!i);
  }

  /** Describes a session, asking Jupyter whether it answers when this process has not seen it ready yet. */
  async #describe(target: string, inspect: Docker.ContainerInspectInfo): Promise<SessionInfo> {
    const id = nameOf(inspect);
    if (!this.#known.live.has(id) && inspect.State.Running && this.#known.notes.get(id)?.state !== 'stopping') {
      await this.#probe(target, inspect).catch((e: unknown) => this.#log.ignored(`probe a session on ${target}`, e));
    }
    return this.#known.describe(inspect, target);
  }

  /**
   * A session of mine found running after an app restart: ready when Jupyter answers its token.
   * Someone else's is never probed: that would read their token, and make it a candidate for this
   * install's idle rule.
   */
  async #probe(target: string, inspect: Docker.ContainerInspectInfo): Promise<LiveSession | undefined> {
    if (!this.#known.isMine(inspect, target)) return undefined;
    const labels = fromLabels(inspect.Config.Labels);
    const token = tokenOf(inspect);
    if (!labels || !token) return undefined;
    const remotePort = publishedPort(inspect, JUPYTER_PORT) ?? labels.port;
    if (!remotePort) return undefined;
    const localPort = await this.portAccess.localPort(target, remotePort);
    await new JupyterClient(`http://127.0.0.1:${localPort}/`, token).status(1000);
    const live: LiveSession = { target, token, localPort, startedAt: Date.parse(inspect.State.StartedAt) || this.#d.clock.now(), idleMinutes: labels.idleMinutes };
    this.#known.live.set(nameOf(inspect), live);
    return live;
  }

  async #find(id: string): Promise<{ target: string; inspect: Docker.ContainerInspectInfo }> {
    const known = this.#known.targetOf(id);
    const order = known ? [known, ...this.#targets().filter((t) => t !== known)] : this.#targets();
    for (const target of order) {
      const inspect = await this.#inspect(target, id).catch((error: unknown) => {
        if (target === LOCAL) throw error;
        return undefined;
      });
      if (inspect && fromLabels(inspect.Config.Labels)) return { target, inspect };
    }
    throw new BenchtopError('SESSION_NOT_FOUND', `There is no session "${id}".`, 'Run `benchtop ps` to see the sessions and their ids.');
  }

  /** #find, for acting on the session: NOT_OWNER unless this install owns it. */
  async #findMine(id: string, verb: string): Promise<{ target: string; inspect: Docker.ContainerInspectInfo }> {
    const found = await this.#find(id);
    if (!this.#known.isMine(found.inspect, found.target)) throw notOwner(id, ownerOf(found.inspect.Config.Labels), verb);
    return found;
  }

  async #inspect(target: string, id: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await this.#d.engines.call(target, 'inspect', (d) => d.getContainer(id).inspect());
    } catch (error) {
      if (error instanceof BenchtopError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  async #inspectOrThrow(target: string, id: string): Promise<Docker.ContainerInspectInfo> {
    const inspect = await this.#inspect(target, id);
    if (!inspect) throw new BenchtopError('SESSION_NOT_FOUND', `Session ${id} disappeared from the engine on ${target}.`, 'Someone removed it; start the project again.');
    return inspect;
  }

  async #onEngineEvent(target: string, event: ContainerEvent): Promise<void> {
    if (!['start', 'die', 'oom', 'stop', 'destroy', 'restart'].includes(event.action)) return;
    if (event.action === 'destroy') {
      this.#known.removed(event.name, 'Removed.', event.containerId);
      return;
    }
    // `oom` alone is not an end: the kernel (or another process) was killed, the container lives on.
    if (event.action === 'die') this.#known.live.delete(event.name);
    const inspect = await this.#inspect(target, event.name).catch((e: unknown) => this.#log.ignored(`inspect ${event.name} on ${target} after a ${event.action} event`, e));
    if (!inspect) return;
    if (event.action === 'oom' && inspect.State.Running && this.#known.notes.get(event.name)?.state !== 'stopping') {
      const labels = fromLabels(inspect.Config.Labels);
      this.#known.notes.set(event.name, { ...this.#known.notes.get(event.name), message: processOomMessage(inspect, labels?.projectDir ?? '') });
    }
    // A start we did not ask for (or after an app restart): ready once Jupyter answers.
    if (event.action === 'start' && !this.#known.live.has(event.name)) await this.#probe(target, inspect).catch((e: unknown) => this.#log.ignored(`probe a session on ${target}`, e));
    this.#known.emit(inspect, target);
  }
}
