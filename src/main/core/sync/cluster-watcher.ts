import { BenchtopError } from '../errors';
import type { Logger } from '../log/logger';
import type { SyncService } from './service';
import type { OperationFactory } from './watcher';

export interface ClusterSyncWatcherDeps {
  sync: SyncService;
  /** Where its syncs get their Operation (the core's `ops`). */
  ops: OperationFactory;
  /** Whether the cluster session (JOB@CLUSTER) still runs or waits in the queue; false once it ended. */
  running(sessionId: string): Promise<boolean>;
  log: Logger;
  /** Between syncs while the job runs (and between tries of the last one). */
  intervalMs?: number;
}

interface Watch {
  projectDir: string;
  target: string;
  timer?: NodeJS.Timeout;
  failing: boolean;
}

/**
 * The notebooks of a cluster session, kept in step while its job runs: a sync every few seconds
 * (skipped while another sync of the project runs, never confirming bulk deletions), and once more
 * after the job ended, retried until it succeeds, so the last saves come home. Started by the Slurm
 * service when it submits or finds a session's job; its timers never keep a process alive.
 */
export class ClusterSyncWatcher {
  readonly #watches = new Map<string, Watch>();
  readonly #intervalMs: number;
  #closed = false;
  /** Cancels the syncs under way when the watcher closes. */
  readonly #abort = new AbortController();

  constructor(private readonly deps: ClusterSyncWatcherDeps) {
    this.#intervalMs = deps.intervalMs ?? 5000;
  }

  /** Sessions (JOB@CLUSTER) being watched now. */
  get watching(): string[] {
    return [...this.#watches.keys()];
  }

  watch(projectDir: string, target: string, sessionId: string): void {
    if (this.#closed || this.#watches.has(sessionId)) return;
    const watch: Watch = { projectDir, target, failing: false };
    this.#watches.set(sessionId, watch);
    this.#schedule(sessionId, watch);
  }

  /**
   * Watches the sessions that were queued or running before this process started (the app
   * restarted), each with the one recent project of its name (the queue knows a project's name,
   * not its folder); a session whose project is not among them, or is ambiguous, is left alone.
   */
  resume(sessions: { id: string; target: string; projectName: string }[], projects: { dir: string; name: string }[]): void {
    for (const session of sessions) {
      const dirs = [...new Set(projects.filter((p) => p.name === session.projectName).map((p) => p.dir))];
      if (dirs.length === 1) this.watch(dirs[0], session.target, session.id);
      else this.deps.log.info(`cluster session ${session.id}: not synced in the background (${dirs.length ? 'several' : 'no'} recent projects named ${session.projectName})`);
    }
  }

  close(): void {
    this.#closed = true;
    this.#abort.abort();
    for (const watch of this.#watches.values()) clearTimeout(watch.timer);
    this.#watches.clear();
  }

  #schedule(sessionId: string, watch: Watch): void {
    if (this.#closed) return;
    watch.timer = setTimeout(() => void this.#tick(sessionId, watch), this.#intervalMs);
    watch.timer.unref();
  }

  async #tick(sessionId: string, watch: Watch): Promise<void> {
    let running: boolean;
    try {
      running = await this.deps.running(sessionId);
    } catch (error) {
      // The cluster could not be asked (connection, controller): try again next time, nothing moved.
      this.deps.log.warn(`cluster session ${sessionId}: could not read its state; syncing again later`, { error: String(error) });
      this.#schedule(sessionId, watch);
      return;
    }
    const synced = await this.#sync(sessionId, watch, running);
    if (!running && synced) {
      // The last saves are home: the job has ended and this was the sync after it.
      this.#watches.delete(sessionId);
      this.deps.log.info(`cluster session ${sessionId} ended; its notebooks are synced`);
      return;
    }
    this.#schedule(sessionId, watch);
  }

  /** One sync; false when it failed (the next tick tries again; a failure is logged once until one succeeds). */
  async #sync(sessionId: string, watch: Watch, running: boolean): Promise<boolean> {
    if (running && this.deps.sync.busy(watch.projectDir, watch.target)) return true;
    const opId = `sync-cluster-${sessionId}-${Date.now().toString(36)}`;
    try {
      await this.deps.sync.sync(this.deps.ops.create(opId, this.#abort.signal), { projectDir: watch.projectDir, target: watch.target, sessionId, waitMs: 0 });
      if (watch.failing) this.deps.log.info(`cluster session ${sessionId}: notebooks sync works again`);
      watch.failing = false;
      return true;
    } catch (error) {
      if (error instanceof BenchtopError && error.code === 'CANCELLED') return true;
      if (error instanceof BenchtopError && error.code === 'SYNC_BUSY') return false;
      if (!watch.failing) this.deps.log.warn(`cluster session ${sessionId}: notebooks sync failed; retrying every ${this.#intervalMs / 1000} s`, { error: error instanceof Error ? error.message : String(error) });
      watch.failing = true;
      return false;
    }
  }
}
