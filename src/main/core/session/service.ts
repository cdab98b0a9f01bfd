import type { ProjectInfo } from '../../../shared/contract/project';
import type { SessionInfo, SessionSyncError } from '../../../shared/contract/sessions';
import type { Clock } from '../clock';
import type { Desktop } from '../desktop';
import { LOCAL, type EngineService } from '../engine/service';
import type { EventBus } from '../events';
import type { Owner } from '../identity/owner';
import { silentLogger, type Logger } from '../log/logger';
import type { Operation } from '../operation';
import { PullService, type PullRegistry } from '../pull/service';
import type { SettingsStore } from '../settings/store';
import { directPortAccess, localWorkspace, type GpuLeaser, type LockfileCheck, type PortAccess, type WorkspaceResolver } from './adapters';
import { SessionDirectory } from './directory';
import type { IdleWatcher } from './idle';
import { SessionLifecycle } from './lifecycle';
import { SessionMonitor } from './monitoring';
import { SessionReadiness } from './readiness';
import type { SessionNote } from './state';
import { SessionTracker } from './tracker';

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
  /** How this computer reaches a port on a target's loopback (the hosts service, the CLI's forwarder). */
  ports?: PortAccess;
  /** Where a target keeps the project's notebooks (the sync service for hosts). */
  workspace?: WorkspaceResolver;
  /** How long Jupyter may take to answer after the container starts. */
  readyTimeoutMs?: number;
  /** Where best-effort steps that fail (a clean-up, a watcher start) are logged instead of thrown. */
  log?: Logger;
}

/**
 * Sessions: one labelled container per project and target, running the pinned image's Jupyter.
 * Everything goes through `engines` with the session's target, so the same code runs sessions on
 * this computer and on SSH hosts. The engine's labels are the only state that outlives the process.
 * The work is split by job: the directory (finding and describing sessions), readiness (Jupyter
 * answers), monitoring (engine events, idle rule, log and stats streams) and the lifecycle.
 */
export class SessionService {
  readonly pulls: PullService;
  readonly #directory: SessionDirectory;
  readonly #readiness: SessionReadiness;
  readonly #monitor: SessionMonitor;
  readonly #lifecycle: SessionLifecycle;
  readonly #log: Logger;

  constructor(deps: SessionServiceDeps) {
    const log = (this.#log = deps.log ?? silentLogger);
    const ports = deps.ports ?? directPortAccess;
    const known = new SessionTracker(deps.bus, deps.owner);
    this.pulls = new PullService(deps.engines, deps.clock, deps.registry);
    const directory = (this.#directory = new SessionDirectory({ engines: deps.engines, settings: deps.settings, clock: deps.clock, known, ports, log }));
    const readiness = (this.#readiness = new SessionReadiness({
      engines: deps.engines, clock: deps.clock, known, directory, ports, gpus: deps.gpus, log, readyTimeoutMs: deps.readyTimeoutMs,
    }));
    this.#monitor = new SessionMonitor({
      engines: deps.engines, clock: deps.clock, known, directory, log,
      stopIdle: async (id, minutes) => {
        await this.stop(id, { state: 'stopped', message: `Stopped after ${minutes} idle minutes; notebooks are saved in the project.` });
      },
    });
    this.#lifecycle = new SessionLifecycle({
      engines: deps.engines, settings: deps.settings, desktop: deps.desktop, owner: deps.owner, projects: deps.projects, pulls: this.pulls,
      lockfile: deps.lockfile, gpus: deps.gpus, workspace: deps.workspace ?? localWorkspace, known, directory, readiness,
      watch: (target) => this.watch(target), log,
    });
  }

  /** The idle rule (tests ask it to check now). */
  get idle(): IdleWatcher {
    return this.#monitor.idle;
  }

  /** How long Jupyter may take to answer after the container starts (tests shorten it). */
  get readyTimeoutMs(): number {
    return this.#readiness.timeoutMs;
  }

  set readyTimeoutMs(ms: number) {
    this.#readiness.timeoutMs = ms;
  }

  /**
   * Starts following a target's engine events (and the idle rule). Idempotent; `up` and `list` call
   * it, and the app may call it at start-up so sessions found from labels get their idle rule at once.
   */
  watch(target = LOCAL): Promise<void> {
    return this.#monitor.watch(target);
  }

  /** The sync watcher says a remote session's notebooks stopped syncing (or sync again): shown on the session. */
  syncStatus(id: string, error: SessionSyncError | undefined): void {
    this.#monitor.syncStatus(id, error);
  }

  async close(): Promise<void> {
    this.#monitor.close();
  }

  /** Pull if needed, create and start the container, wait for Jupyter. Reuses a session already running. */
  up(op: Operation, dir: string, target: string, open?: 'app' | 'browser'): Promise<SessionInfo> {
    return this.#lifecycle.up(op, dir, target, open);
  }

  list(): Promise<SessionInfo[]> {
    // Whoever lists sessions (the app after a restart) wants their states live and the idle rule on.
    return this.#directory.list((target) => this.watch(target).catch((e: unknown) => this.#log.ignored(`watch ${target}'s engine events`, e)));
  }

  /** Anyone's session, read-only for someone else's (no URL, no token). */
  async get(id: string): Promise<SessionInfo> {
    const { target, inspect } = await this.#directory.find(id);
    return this.#directory.describe(target, inspect);
  }

  /** One of this install's own sessions; NOT_OWNER (saying whose it is) for anyone else's. */
  async getMine(id: string, verb: string): Promise<SessionInfo> {
    const { target, inspect } = await this.#directory.findMine(id, verb);
    return this.#directory.describe(target, inspect);
  }

  stop(id: string, why?: SessionNote): Promise<SessionInfo> {
    return this.#lifecycle.stop(id, why);
  }

  restart(op: Operation, id: string): Promise<SessionInfo> {
    return this.#lifecycle.restart(op, id);
  }

  remove(id: string): Promise<{ removed: true }> {
    return this.#lifecycle.remove(id);
  }

  /** Sends `sessionLog` events on `op` until it is cancelled (follow) or the log ends. */
  logs(op: Operation, id: string, follow: boolean, tail: number | undefined): Promise<{ lines: number }> {
    return this.#monitor.logs(op, id, follow, tail);
  }

  /** Sends `sessionStats` events on `op` until it is cancelled. */
  watchStats(op: Operation, id: string): Promise<void> {
    return this.#monitor.watchStats(op, id);
  }

  async open(id: string, where: 'app' | 'browser'): Promise<{ url: string }> {
    return this.#lifecycle.open(await this.getMine(id, 'open'), where);
  }
}
